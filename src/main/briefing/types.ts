import type { CityLayers } from '../layers/city.ts';
import { MAX_DEPLOY_UNITS, type BriefingAreaRow, type DeploymentView } from '../../shared/contract.ts';
import type { EventType } from '../../shared/types.ts';
import type { GridSpec } from '../grid/types.ts';
import type { Volume } from './volume.ts';

/** Most units a briefing has room for (page 1's table); the CLI refuses more. */
export const MAX_UNITS = MAX_DEPLOY_UNITS;

/** One patrol area as printed in the briefing and exported: the contract's row (one definition). */
export type BriefingArea = BriefingAreaRow;

/** Walk-forward skill of the model beside the best classical baseline. */
export interface SkillSummary {
  /** Where the numbers come from: a stored run, a backtest run for this briefing, or training's validation. */
  basis: { kind: 'stored-run' | 'backtest' | 'validation'; runId: number | null };
  testFrom: string;
  testTo: string;
  /** The flagged share of the study area the numbers refer to (percent, e.g. 5). */
  coveragePct: number;
  model: { name: string; hitRate: number; pai: number };
  baseline: { name: string; hitRate: number; pai: number } | null;
  /** The plain-language statement printed in the briefing. */
  sentence: string;
}

/** Everything the briefing says, as data (the `--json` output; the PDF is drawn from it). */
export interface BriefingReport {
  title: string;
  agency: string;
  marking: string;
  dataset: { name: string; city: string; tz: string; hash: string };
  window: { start: string; end: string; step: 'shift' | 'day'; label: string };
  generatedAt: string;
  generatedLabel: string;
  model: {
    spec: string;
    /** The model in words: "model 3 (convlstm, default)" or a classical spec. */
    label: string;
    name: string;
    params: Record<string, string | number | boolean>;
    hash: string;
    cutoff: string;
  };
  grid: { rows: number; cols: number; bbox: [number, number, number, number]; cellMeters: [number, number] };
  /** The deployment's figures as the Forecast panel has them, and how they were found. */
  deployment: Omit<DeploymentView, 'areas'> & { method: string };
  areas: BriefingArea[];
  recent: {
    /** Local ISO start of the 7-day and 28-day windows (both end at the forecast step's start). */
    from7: string;
    from28: string;
    byType7: Record<EventType, number>;
    total7: number;
    /** Events per local hour of day over the last 28 days. */
    hourly28: number[];
    total28: number;
  };
  skill: SkillSummary | null;
  /**
   * Expected citywide detections in the window beside the typical figure for such a step (volume.ts),
   * and the units that suggests: the routine number scaled by expected ÷ typical (suggestUnits).
   */
  volume: BriefingVolume;
  /** Set (NO_TYPES_NOTE) when the history has no typed event: the briefing then shows no type mix. */
  typeNote?: string;
  provenance: {
    datasetHash: string;
    modelHash: string;
    params: string;
    software: string;
    /** Holiday dates the forecast used besides the built-in ones (absent when none). */
    holidays?: string[];
  };
  caveat: string[];
}

export interface BriefingVolume extends Volume {
  suggestedUnits: number;
  /** The suggestion's rule with this window's numbers, in words. */
  suggestionRule: string;
}

/** What the map needs beyond the report: the grid and its forecast. */
export interface BriefingMap {
  grid: GridSpec;
  risk: Float32Array;
  studyMask: Uint8Array;
  /** The city's map layers; default: the built-in DC layers. */
  layers?: CityLayers;
}
