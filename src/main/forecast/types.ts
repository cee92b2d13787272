import type { ProgressFn } from '../../shared/types.ts';
import type { GridSpec, StepSpec } from '../grid/types.ts';
import type { StepEvents } from '../history/events.ts';

/**
 * What a forecaster may see: the count tensor of the steps strictly before the step it forecasts, and
 * nothing after. The harness builds it so (later steps are not in the buffer), which is why no
 * forecaster can peek, by accident or otherwise.
 */
export interface HistoryView {
  grid: GridSpec;
  step: StepSpec;
  tz: string;
  /** Type channel names of `events`, in MODEL_TYPES order. */
  types: readonly string[];
  /** Visible steps (the window). The forecast is for the step right after the last one. */
  steps: number;
  /** Index of the first visible step on the dataset's timeline (non-zero for a sliding window). */
  offset: number;
  /**
   * The visible steps' events, sparse: per cell every event, typed or not (what risk forecasts are
   * made from), and per type and cell the typed ones (an `unknown` event is in no channel). Dense
   * maps of one step or a short window are built on demand (history/events.ts).
   */
  events: StepEvents;
  /** 1 for steps whose counts were left out (fireworks windows), length steps. */
  excluded: Uint8Array;
  /** UTC start of visible step i (0 ≤ i < steps), of the forecast step (i = steps) and later ones (calendar only). */
  stepStartMs: (i: number) => number;
  /** Cells being scored (1) — a forecaster may use it, e.g. to normalise. */
  studyMask: Uint8Array;
  /** The dataset's extra holiday dates (YYYY-MM-DD or yearly MM-DD), beside the built-in list (holidays.ts). */
  holidays?: readonly string[];
}

export type ParamValue = number | string | boolean;
export type Params = Record<string, ParamValue>;

export interface FitContext {
  progress?: ProgressFn;
  /** Aborted when the user cancels; long fits should check it. */
  signal?: AbortSignal;
  /** Seed for anything random, so runs are reproducible. */
  seed?: number;
}

/**
 * Every model: fit on the history before a cut-off, then predict the next step(s). Predictions are
 * expected event counts per cell in the step (non-negative; the evaluator ranks by them and turns
 * them into probabilities as p = 1 − exp(−λ) for the Brier score and AUC-PR).
 */
export interface Forecaster {
  readonly name: string;
  /** The resolved parameters, defaults included (stored with every run). */
  readonly params: Params;
  /** True for the classical baselines, the pool the best-classical comparison is taken from. */
  readonly classical?: boolean;
  /** Called at each retraining point (per the cadence). May be async and report progress. */
  fit(history: HistoryView, ctx?: FitContext): void | Promise<void>;
  /** Risk for the next `horizon` steps after history: Float32Array [horizon, rows*cols]. */
  predict(history: HistoryView, horizon?: number): Float32Array | Promise<Float32Array>;
  /** Optional: free resources (sessions, workers). */
  dispose?(): void | Promise<void>;
  /**
   * Optional, for models that forecast the type of an event: the next step's expected counts and, per
   * cell, the probability of each type for an event there ([types, cells], MODEL_TYPES order).
   */
  predictWithTypes?(history: HistoryView, withTypes?: boolean): TypeForecast | Promise<TypeForecast>;
  /**
   * False for a model whose output ranks cells but carries no level (no events per step): evaluate
   * then scales each forecast to the trailing year's mean count per step over the study area.
   */
  readonly level?: boolean;
  /** Optional: what the latest fit found (fitted values, and notes in plain words), stored with a run. */
  report?(): FitReport;
}

export interface TypeForecast {
  rates: Float32Array;
  /** [types, cells]: probability of each type for an event in the cell; null when not forecast. */
  typeProbs: Float32Array | null;
}

export interface FitReport {
  fitted?: Record<string, number>;
  notes?: string[];
}

/** Makes a forecaster from its command-line params (strings); throws UsageError on a bad one. */
export type ForecasterFactory = (params: Record<string, string>) => Forecaster;

/** A parsed model spec, e.g. `kde:tau=90,sigma=0.5` → {name: 'kde', params: {tau: '90', sigma: '0.5'}}. */
export interface ModelSpec {
  /** As written, e.g. `kde:tau=90,sigma=0.5`. */
  spec: string;
  name: string;
  params: Record<string, string>;
}
