/**
 * Composes a briefing from a forecast and the model's track record (the `brief` use case in app/brief.ts
 * makes both): deploy the units, name the places, count recent activity, then draw the PDF.
 */
import { createHash } from 'node:crypto';
import type { ReadonlyDb } from '../db/connection.ts';
import { datasetFingerprint } from '../db/queries/events.ts';
import { requireDataset } from '../grid/build.ts';
import { isoLocal, localParts, localToUtc } from '../grid/time.ts';
import type { GridOptions, GridSpec } from '../grid/types.ts';
import { UsageError } from '../util/errors.ts';
import { deployUnits, deploymentSummary, DEFAULT_MAX_CELLS } from './deploy.ts';
import { cityLayers } from '../layers/city.ts';
import { areaPlaces } from '../layers/places.ts';
import { countInCells, recentEvents, summarise } from './recent.ts';
import { cleanText } from './text.ts';
import {
  MAX_UNITS,
  type BriefingArea,
  type BriefingMap,
  type BriefingReport,
  type SkillSummary,
} from './types.ts';
import { localLabel, windowLabel } from './when.ts';
import { suggestUnits, type Volume } from './volume.ts';

export interface BriefingOptions {
  dataset: string;
  /** 'YYYY-MM-DD' (or a local 'YYYY-MM-DDTHH:MM' inside the step). */
  at: string;
  step?: 'shift' | 'day';
  /** Local hour the day's first shift starts (step 'shift'); default 0. */
  shiftStart?: number;
  units?: number;
  maxCells?: number;
  agency?: string;
  marking?: string;
  title?: string;
  /** Grid of a classical forecast; default: the newest stored evaluation's grid, else 36 × 36 over the data. */
  grid?: GridOptions;
  geoDir?: string;
  /** Extra holiday dates (YYYY-MM-DD or yearly MM-DD), besides the dataset's own and the built-in list. */
  holidays?: readonly string[];
  /** The clock, for reproducible output in tests. */
  now?: Date;
}

export const DEFAULT_MARKING = 'LAW ENFORCEMENT SENSITIVE';
export const DEFAULT_UNITS = 5;
const SOFTWARE = 'shotcast 0.1.0';
const DAY_MS = 86_400_000;

export const CAVEAT = [
  'This forecast is about places and times, not people: it is not a prediction about any person and gives no grounds to stop, search or suspect anyone.',
  'Detections are acoustic sensor alerts, not confirmed shootings; some are fireworks or other loud noises, and gunfire outside sensor coverage is not detected at all.',
  'Risk is an expected share of detections, not a certainty: most patrol areas will have no detection in any one step, and detections will also occur elsewhere.',
];

/** What the briefing is drawn from: the forecast the `forecast` use case made, and the model's record. */
export interface BriefingInput {
  forecast: {
    grid: GridSpec;
    risk: Float32Array;
    studyMask: Uint8Array;
    /** ISO local start and end of the step. */
    stepStart: string;
    stepEnd: string;
    cutoffMs: number;
    /** As the report names it: a classical spec, or `model:<id>` for a registered model. */
    spec: string;
    name: string;
    params: Record<string, string | number | boolean>;
    /** How the briefing describes the model in words (e.g. "model 3 (convlstm, default)"). */
    label: string;
    /** Set when the dataset has no typed event: the briefing then gives no type mix, and says so. */
    typeNote: string | null;
    /** Expected citywide detections beside the typical figure (the forecast use case computes it). */
    volume: Volume;
    /** Holiday dates the forecast used besides the built-in ones (the dataset's own and the request's). */
    holidays?: readonly string[];
  };
  skill: SkillSummary | null;
}

/** Draws the two-page PDF of a composed briefing. pdfkit loads only here (export and the app's report view do not need it). */
export async function drawBriefing(
  report: BriefingReport,
  map: BriefingMap,
  geoDir?: string,
): Promise<Buffer> {
  const { renderPdf } = await import('./pdf.ts');
  return renderPdf(report, map, { geoDir });
}

/** Checks the options a briefing takes before anything is forecast. */
export function checkBriefingOptions(opts: BriefingOptions): void {
  const units = opts.units ?? DEFAULT_UNITS;
  if (!Number.isInteger(units) || units < 1 || units > MAX_UNITS)
    throw new UsageError(`--units must be an integer 1..${MAX_UNITS}, got ${units}`);
}

/** The local time a briefing forecasts: a shift briefing for a date starts at the first shift. */
export function briefingAt(opts: Pick<BriefingOptions, 'at' | 'step' | 'shiftStart'>): string {
  return (opts.step ?? 'day') === 'shift' && /^\d{4}-\d{2}-\d{2}$/.test(opts.at)
    ? `${opts.at}T${String(opts.shiftStart ?? 0).padStart(2, '0')}:00`
    : opts.at;
}

/** Everything but the drawing: the report (the `--json` shape) and the forecast for the map. */
export function composeBriefing(
  db: ReadonlyDb,
  opts: BriefingOptions,
  input: BriefingInput,
): { report: BriefingReport; map: BriefingMap } {
  checkBriefingOptions(opts);
  const units = opts.units ?? DEFAULT_UNITS;
  const stepUnit = opts.step ?? 'day';
  const dataset = requireDataset(db, opts.dataset);
  const f = { ...input.forecast, model: { name: input.forecast.name, params: input.forecast.params } };
  const modelSpec = input.forecast.spec;
  const tz = dataset.tz;
  const startMs = f.cutoffMs;
  const endMs = Date.parse(f.stepEnd);
  const d = deployUnits(
    { rows: f.grid.rows, cols: f.grid.cols, risk: f.risk, studyMask: f.studyMask },
    { units, maxCells: opts.maxCells ?? DEFAULT_MAX_CELLS },
  );
  const from7 = daysBefore(tz, startMs, 7);
  const from28 = daysBefore(tz, startMs, 28);
  const events = recentEvents(db, dataset.id, from28, startMs);
  const layers = cityLayers(db, dataset.name, opts.geoDir);
  const areas: BriefingArea[] = d.areas.map((a) => {
    return {
      rank: a.rank,
      cells: a.cells,
      ...areaPlaces(layers, f.grid, a.cells),
      risk: a.risk,
      share: a.share,
      last7: countInCells(events, f.grid, a.cells, from7),
      last28: countInCells(events, f.grid, a.cells, from28),
    };
  });
  const week = summarise(events, from7);
  const month = summarise(events, from28);
  const datasetHash = createHash('sha256')
    .update(datasetFingerprint(db, dataset.id).join('\n'))
    .digest('hex');
  const params = Object.entries(f.model.params)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
  const modelHash = createHash('sha256')
    .update(
      JSON.stringify({
        name: f.model.name,
        params: Object.fromEntries(Object.entries(f.model.params).sort()),
      }),
    )
    .digest('hex');
  const now = opts.now ?? new Date();
  const report: BriefingReport = {
    title: cleanText(opts.title ?? 'Gunfire forecast briefing', 120),
    agency: cleanText(opts.agency ?? `${dataset.city} — crime analysis unit`, 160),
    marking: cleanText(opts.marking ?? DEFAULT_MARKING, 120),
    dataset: { name: dataset.name, city: dataset.city, tz, hash: datasetHash },
    window: { start: f.stepStart, end: f.stepEnd, step: stepUnit, label: windowLabel(tz, startMs, endMs) },
    generatedAt: now.toISOString(),
    generatedLabel: localLabel(tz, now.getTime()),
    model: {
      spec: modelSpec,
      label: input.forecast.label,
      name: f.model.name,
      params: f.model.params,
      hash: modelHash,
      cutoff: f.stepStart,
    },
    grid: { rows: f.grid.rows, cols: f.grid.cols, bbox: f.grid.bbox, cellMeters: f.grid.cellMeters },
    deployment: deploymentSummary(d),
    areas,
    recent: {
      from7: isoLocal(tz, from7),
      from28: isoLocal(tz, from28),
      byType7: week.byType,
      total7: week.total,
      hourly28: month.hourly,
      total28: month.total,
    },
    skill: input.skill,
    volume: (() => {
      const s = suggestUnits(input.forecast.volume, DEFAULT_UNITS);
      return { ...input.forecast.volume, suggestedUnits: s.units, suggestionRule: s.rule };
    })(),
    ...(input.forecast.typeNote ? { typeNote: input.forecast.typeNote } : {}),
    provenance: {
      datasetHash,
      modelHash,
      params: params || '(none)',
      software: SOFTWARE,
      ...(input.forecast.holidays?.length ? { holidays: [...input.forecast.holidays] } : {}),
    },
    caveat: CAVEAT,
  };
  return { report, map: { grid: f.grid, risk: f.risk, studyMask: f.studyMask, layers } };
}

/** The same local clock time `days` calendar days earlier (so a DST change does not shift the window). */
function daysBefore(tz: string, utcMs: number, days: number): number {
  const p = localParts(tz, utcMs);
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day) - days * DAY_MS);
  return localToUtc(tz, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), p.hour, p.minute, p.second);
}
