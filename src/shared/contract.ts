/**
 * The IPC contract: every channel the renderer may call, its zod request schema and its response type.
 * Electron's ipcMain, the loopback web host and the tests all bind the same handlers to this one map;
 * nothing reaches a handler unless its schema parsed it first. Pure: no Node, no DOM.
 */
import { z } from 'zod';
import { SOURCE_FORMATS } from './formats.ts';
import { LAYER_KINDS, type CityLayerInfo, type LayerKind } from './layers.ts';
import type { EventType, Progress, StepUnit } from './types.ts';
import { DATE_FORM, isIsoDate, isIsoDateOrDateTime } from './dates.ts';
import { nameProblem } from './names.ts';

/** Every response crosses the boundary as a value or a one-line error, never a thrown exception. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

/** Where a long job is: running, or how it ended (a cancelled job is not a failure). */
export type JobState = 'running' | 'done' | 'cancelled' | 'failed';

/**
 * A progress event of a long job, tagged with the job id the caller chose. The last event of a job
 * carries `state` (how it ended) and, when it failed, `error`; the ones before it carry neither.
 */
export interface JobProgress {
  jobId: string;
  progress: Progress;
  state?: Exclude<JobState, 'running'>;
  error?: string;
}

/** A long job as the app lists it (`jobs.list`): running, or ended recently. */
export interface JobInfo {
  id: string;
  /** import, evaluate, train, demo, briefing… */
  kind: string;
  /** What the job does, in words: "train a ConvLSTM on dc-sample (day steps)". */
  label: string;
  state: JobState;
  startedAt: string;
  endedAt: string | null;
  /** The latest progress event, null before the first. */
  progress: Progress | null;
  /** Why it failed; null otherwise. */
  error: string | null;
  /** The job's response once done (the same value the call that started it returned), else null. */
  result: unknown;
  /** A training job's settings (its `train.run` request without the job id): Resume sends them again. */
  train?: TrainSettings;
}

/** Dataset names: the one rule of src/shared/names.ts, shared with the CLI and the forms. */
const name = z.string().superRefine((v, ctx) => {
  const problem = nameProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: `the name ${problem}` });
});
/** A real calendar day (src/shared/dates.ts): 2018-02-30 is refused, not rolled into March. */
const isoDate = z
  .string()
  .max(10)
  .refine(isIsoDate, { message: `expected a real date ${DATE_FORM}` });
const jobId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\w-]+$/);
const stepUnit = z.enum(['hour', 'shift', 'day', 'week']);
const modelSpec = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\w.-]+(:[\w.=,-]+)?$/, 'expected a model spec such as kde:tau=90,sigma=0.5');
const classicalModel = z.strictObject({
  name: z
    .string()
    .max(40)
    .regex(/^[A-Za-z][A-Za-z0-9-]*$/, 'a model name such as kde'),
  params: z.record(
    z.string().max(40).regex(/^\w+$/),
    z
      .string()
      .max(40)
      .regex(/^[\w./-]+$/),
  ),
});
/** Which model a forecast runs: typed, never a string to parse (src/main/app/model-choice.ts). */
const modelChoice = z.discriminatedUnion('kind', [
  /** The dataset's newest registered model for the step; the fallback (default KDE) when it has none. */
  z.strictObject({ kind: z.literal('latest'), fallback: classicalModel.optional() }),
  z.strictObject({ kind: z.literal('registered'), id: z.number().int().min(1) }),
  z.strictObject({ kind: z.literal('classical'), model: classicalModel }),
]);
export type ModelChoiceValue = z.infer<typeof modelChoice>;

const gridSpec = z.strictObject({
  rows: z.number().int().min(2).max(400),
  cols: z.number().int().min(2).max(400),
  /** [south, west, north, east]; omitted = from the data. */
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional(),
});
const empty = z.strictObject({});

/** What the import form and `datasets.import` take: a source format, or detection from the header. */
export const IMPORT_FORMATS = ['auto', ...SOURCE_FORMATS] as const;
export { SOURCE_FORMATS };

/** Fields a column mapping can name (the app's `--map field=column`): the generic format's fields. */
export const COLUMN_FIELDS = ['lat', 'lon', 'datetime', 'date', 'time', 'type', 'id', 'rounds'] as const;
export type ColumnField = (typeof COLUMN_FIELDS)[number];

/** A file the renderer hands over as bytes (a sandboxed page has no paths). */
const fileName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^/\\\0]+$/, 'a file name, not a path');
const contentBase64 = z
  .string()
  .min(1)
  .max(700 * 1024 * 1024)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');
/**
 * A file handed to the core: its bytes (Electron), or the id of a file the web host received by
 * upload (POST /api/upload?name=FILE), with the file's own name either way.
 */
const fileSource = {
  fileName,
  contentBase64: contentBase64.optional(),
  upload: z
    .string()
    .regex(/^[\w-]{1,64}$/)
    .optional(),
};
const oneSource = (r: { contentBase64?: string; upload?: string }) =>
  (r.contentBase64 === undefined) !== (r.upload === undefined);
const ONE_SOURCE = { message: 'give the file as contentBase64 or as an upload id, not both' };
const columnMap = z.partialRecord(z.enum(COLUMN_FIELDS), z.string().min(1).max(200));
const layerKind = z.enum(LAYER_KINDS);

/** A holiday date: YYYY-MM-DD, or MM-DD for every year (the use case checks the calendar has it). */
export const HOLIDAY_DATE = /^(\d{4}-)?\d{2}-\d{2}$/;
/** Patrol units a forecast or a briefing deploys at most (the briefing's MAX_UNITS). */
export const MAX_DEPLOY_UNITS = 20;
/** Points one `layers.places` call names: enough for any top-cell list the Forecast panel shows. */
export const MAX_PLACE_POINTS = 500;

const briefingRequest = z.strictObject({
  dataset: name,
  at: isoDate,
  step: z.enum(['shift', 'day']),
  /** Local hour the day's first shift starts (used when step is 'shift'). */
  shiftStart: z.number().int().min(0).max(23),
  units: z.number().int().min(1).max(MAX_DEPLOY_UNITS),
  maxCells: z.number().int().min(1).max(6),
  /** null: the newest registered model, else the best classical model of the newest stored run. */
  model: modelChoice.nullable(),
  // The core truncates long text for the layout; the cap only bounds what crosses the boundary.
  agency: z.string().max(500).nullable(),
  marking: z.string().max(500).nullable(),
});

export const schemas = {
  'app.info': empty,
  /** Imports the built-in DC sample when the database holds no dataset; a no-op otherwise. */
  'app.ensureDemo': z.strictObject({ jobId }),
  'datasets.list': empty,
  /** What an import of this file would read (format, city, zone, columns, first rows); writes nothing. */
  'datasets.preview': z
    .strictObject({ ...fileSource, format: z.enum(IMPORT_FORMATS), map: columnMap.optional() })
    .refine(oneSource, ONE_SOURCE),
  'datasets.import': z
    .strictObject({
      jobId,
      ...fileSource,
      dataset: name,
      /** Omitted: the format's own city and zone (or the existing dataset's). */
      city: z.string().min(1).max(100).optional(),
      tz: z.string().min(1).max(64).optional(),
      format: z.enum(IMPORT_FORMATS),
      /** Column mapping for a file the format detection cannot read on its own (the CLI's --map). */
      map: columnMap.optional(),
    })
    .refine(oneSource, ONE_SOURCE),
  'datasets.rejects': z.strictObject({
    dataset: name,
    limit: z.number().int().min(1).max(1000),
    offset: z.number().int().min(0),
  }),
  'datasets.rename': z.strictObject({ dataset: name, to: name }),
  /** Deletes the dataset with its events, rejects, runs and models; `confirm` is the analyst's yes. */
  'datasets.delete': z.strictObject({ dataset: name, confirm: z.literal(true) }),
  /**
   * A new zone: 'wall-clock' keeps the file's clock times and moves the instants (a file imported in
   * the wrong zone); 'instant' keeps the instants and recomputes the local times.
   */
  'datasets.setZone': z.strictObject({
    dataset: name,
    tz: z.string().min(1).max(64),
    keep: z.enum(['wall-clock', 'instant']),
  }),
  /**
   * The dataset's own holiday dates, replacing the ones it had (empty: none): full dates YYYY-MM-DD or
   * yearly MM-DD, besides the built-in ones. A date the calendar does not have is refused by the use case.
   */
  'datasets.setHolidays': z.strictObject({
    dataset: name,
    holidays: z.array(z.string().regex(HOLIDAY_DATE, 'expected YYYY-MM-DD or MM-DD')).max(400),
  }),
  /** A dataset's timeline: its steps and the events of each, for the scrubber and its histogram. */
  'events.load': z.strictObject({ dataset: name, step: stepUnit }),
  /**
   * The distinct events in [fromMs, toMs): the map asks for the window of steps it shows, so a long
   * hourly history never travels whole. At most a year (the app asks for a few hundred steps).
   */
  'events.range': z
    .strictObject({
      dataset: name,
      fromMs: z.number().int().min(0).max(8.64e15),
      toMs: z.number().int().min(0).max(8.64e15),
    })
    .refine((r) => r.toMs > r.fromMs && r.toMs - r.fromMs <= 366 * 86_400_000, {
      message: 'expected fromMs < toMs, at most 366 days apart',
      path: ['toMs'],
    }),
  'forecast.at': z.strictObject({
    dataset: name,
    step: stepUnit,
    grid: gridSpec,
    /** Local date (YYYY-MM-DD) or ISO local time of the step to forecast. */
    at: z
      .string()
      .max(19)
      .refine(isIsoDateOrDateTime, { message: `expected a real date ${DATE_FORM} or ${DATE_FORM}THH:MM` }),
    model: modelChoice,
    horizon: z.number().int().min(1).max(28),
    /** Patrol units to deploy on the forecast (the briefing's patrol areas); none when absent. */
    units: z.number().int().min(1).max(MAX_DEPLOY_UNITS).optional(),
    /** Largest patrol area in cells (default 4). */
    maxCells: z.number().int().min(1).max(6).optional(),
  }),
  'evaluate.run': z.strictObject({
    jobId,
    dataset: name,
    step: stepUnit,
    grid: gridSpec,
    models: z.array(modelSpec).min(1).max(12),
    testFrom: isoDate,
    testTo: isoDate,
    cadence: z.enum(['step', 'week', 'month']),
    /** Contiguous folds of the test period, each refitted at its start and charted on its own. */
    folds: z.number().int().min(1).max(24),
  }),
  'jobs.cancel': z.strictObject({ jobId }),
  /** Running jobs and the ones that ended recently, newest first: any tab can show and cancel them. */
  'jobs.list': empty,
  /** The model registry of a dataset, newest first. */
  'models.list': z.strictObject({ dataset: name }),
  /** Removes a registered model from the registry and deletes its ONNX file and checkpoint. */
  'models.delete': z.strictObject({ id: z.number().int().min(1) }),
  /**
   * Fine-tunes the dataset's newest model on the steps imported since its data cut-off and registers the
   * result as its next version (`shotcast update` without the import): a job, in a worker thread.
   */
  'models.fineTune': z.strictObject({
    jobId,
    dataset: name,
    /** Epochs over the new steps (default: the model's own setting, at least 1). */
    epochs: z.number().int().min(1).max(50).optional(),
  }),
  /** A dataset's stored evaluation runs, newest first (every door stores its runs). */
  'runs.list': z.strictObject({ dataset: name }),
  /** One stored run, shaped like `evaluate.run`'s answer so the Validate panel can reopen it. */
  'runs.get': z.strictObject({ id: z.number().int().min(1) }),
  /** Every model the app can run: name, one-line summary, parameters with defaults, leaderboard spec. */
  'models.catalogue': empty,
  'train.status': empty,
  /** Trains a ConvLSTM on the steps before trainTo, validating up to valTo; registers the exported model. */
  'train.run': z.strictObject({
    jobId,
    dataset: name,
    step: stepUnit,
    grid: gridSpec,
    preset: z.enum(['default', 'reference']),
    epochs: z.number().int().min(1).max(500),
    lr: z.number().positive().max(1),
    trainTo: isoDate,
    valTo: isoDate,
    /** Stop after this many seconds (0 = no limit). */
    maxSeconds: z.number().int().min(0).max(86_400),
    /** Continue the cancelled or failed run with these same settings from its last saved epoch. */
    resume: z.boolean().optional(),
  }),
  'basemap.tilesInfo': empty,
  /** Which map layers the dataset's map draws from: its own, the built-in DC set, or none. */
  'layers.info': z.strictObject({ dataset: name }),
  /** One layer's GeoJSON text (null when the city has no layer of that kind). */
  'layers.get': z.strictObject({ dataset: name, kind: layerKind }),
  /** Imports an agency's layer for a dataset: GeoJSON (WGS84) or a zipped Shapefile; replaces that kind. */
  'layers.import': z
    .strictObject({
      dataset: name,
      kind: layerKind,
      ...fileSource,
      nameField: z.string().min(1).max(100).optional(),
    })
    .refine(oneSource, ONE_SOURCE),
  'layers.delete': z.strictObject({ dataset: name, kind: layerKind }),
  /** The places (neighbourhood, service area, district) each point lies in, by the dataset's map layers. */
  'layers.places': z.strictObject({
    dataset: name,
    points: z
      .array(z.strictObject({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }))
      .max(MAX_PLACE_POINTS),
  }),
  /** Renders the roll-call briefing (the same code path as `shotcast brief`); null = the CLI's default. */
  'briefing.render': briefingRequest,
  /**
   * The briefing's forecast grid and patrol areas as one GIS file (`shotcast export --out FILE`): GeoJSON
   * with both layers, or CSV of the grid with each cell's patrol area.
   */
  'briefing.export': briefingRequest.extend({ format: z.enum(['geojson', 'csv']) }),
} as const;

export type Channel = keyof typeof schemas;
export const CHANNELS = Object.keys(schemas) as Channel[];
export type Request<C extends Channel> = z.infer<(typeof schemas)[C]>;
/** What a training job was asked, without its job id: the app's Resume starts it again from these. */
export type TrainSettings = Omit<Request<'train.run'>, 'jobId' | 'resume'>;

export interface AppInfo {
  version: string;
  transport: 'electron' | 'web';
  dbPath: string;
  /** Set when a user-chosen MBTiles file backs the basemap. */
  tiles: TilesInfo | null;
}

export interface TilesInfo {
  /** URL template, `{z}/{x}/{y}` substituted by Leaflet. */
  url: string;
  minZoom: number;
  maxZoom: number;
  format: string;
  attribution: string;
}

export interface DatasetInfo {
  id: number;
  name: string;
  city: string;
  tz: string;
  format: string;
  events: number;
  duplicates: number;
  rejects: number;
  from: string | null;
  to: string | null;
  /** The dataset's own holiday dates (YYYY-MM-DD or yearly MM-DD), sorted; the built-in ones are not listed. */
  holidays: string[];
}

export interface ImportReport {
  dataset: string;
  rows: number;
  imported: number;
  duplicates: number;
  rejected: number;
  rejectsByReason: Record<string, number>;
  byType: Record<EventType, number>;
  from: string | null;
  to: string | null;
}

/** What an import would read (src/main/ingest/preview.ts ImportPreview, restated for the renderer). */
export interface ImportPreviewValue {
  format: string | null;
  description: string | null;
  city: string | null;
  tz: string | null;
  columns: Record<string, string>;
  fields: string[];
  header: string[];
  headerLine: number | null;
  rows: string[][];
  gzip: boolean;
  container: 'csv' | 'xlsx';
  problem: string | null;
}

export interface LayerImportValue {
  dataset: string;
  kind: LayerKind;
  features: number;
  nameField: string | null;
  properties: string[];
  bbox: [number, number, number, number];
  sourceFile: string;
}

export interface RejectRow {
  line: number;
  reason: string;
  column: string | null;
  raw: string;
}

/**
 * A dataset's timeline at one step unit, without its events: what the scrubber and its histogram need.
 * Its size grows with the steps (43,800 for five years of hours), not with the events; the map fetches
 * the events of the steps it shows with 'events.range'. The steps run from the first event's to the
 * one after the last event's (the step a forecast looks at first).
 */
export interface EventSummary {
  dataset: string;
  step: StepUnit;
  /** The dataset's IANA time zone (step labels and event times are shown in it). */
  tz: string;
  /**
   * UTC start of every step, run-length coded: the first step starts at `firstStartMs`; each
   * [count, gapMs] pair adds `count` steps, each `gapMs` after the one before (a DST change starts
   * a new run for days and shifts; hours are one run).
   */
  firstStartMs: number;
  runs: [number, number][];
  /** Distinct events in each step: one number per step. */
  counts: number[];
  /** Distinct events in all. */
  total: number;
  bbox: [number, number, number, number];
}

/**
 * The distinct events in a window [fromMs, toMs), sorted by instant, as plain columns (JSON for the
 * web host and structured clone for Electron carry the same shape).
 */
export interface EventWindow {
  fromMs: number;
  toMs: number;
  lat: number[];
  lon: number[];
  /** Index into EVENT_TYPES. */
  type: number[];
  /** UTC instant of each event (the renderer shows it in the dataset's zone). */
  utcMs: number[];
}

export interface ForecastGrid {
  rows: number;
  cols: number;
  bbox: [number, number, number, number];
}

/** Expected citywide detections in a step beside the typical figure for such a step (src/main/briefing/volume.ts). */
export interface VolumeView {
  expected: number;
  /** The trailing year's mean over alike ordinary steps; null when the history holds none. */
  typical: number | null;
  /** Which steps are alike, in words ("Saturday"). */
  like: string;
  holiday: string | null;
  /** "expected 41 (typical Saturday 17; July 4th)" */
  text: string;
  /** Units the briefing would suggest for this volume, and its rule in words. */
  suggestedUnits: number;
  suggestionRule: string;
}

/** The places a point lies in, by the dataset's map layers; '—' where no layer of that kind holds it. */
export interface PlaceNames {
  neighbourhood: string;
  /** Police service area. */
  psa: string;
  /** Police district or beat (DC's as MPD writes them: "7D"). */
  district: string;
}

/** The briefing's patrol areas for the forecast on the map (src/main/briefing/deploy.ts). */
/** A fine-tune's new model and how it scored on the newest held-out steps, before and after. */
export interface FineTuneValue {
  modelId: number;
  parentId: number;
  /** Steps since the parent's data cut-off; the newest `heldOutSteps` of them were only scored. */
  newSteps: number;
  heldOutSteps: number;
  before: { hitRate1: number; hitRate5: number };
  after: { hitRate1: number; hitRate5: number };
  /** Early stopping kept the parent's weights: the new version differs only in its data cut-off. */
  keptParent: boolean;
  dataCutoff: string;
}

/** One GIS file of a briefing's forecast grid and patrol areas, to be saved under `fileName`. */
export interface BriefingExportValue {
  fileName: string;
  mimeType: string;
  text: string;
  /** Study cells (grid features or rows) and patrol areas in it. */
  cells: number;
  areas: number;
}

export interface DeploymentView {
  units: number;
  /** Largest patrol area, in cells. */
  maxCells: number;
  /** Expected share of the step's detections inside the areas. */
  coverage: number;
  /** Cells in all areas together. */
  cells: number;
  /** The same number of cells taken one by one from the top of the ranking. */
  topCells: { cells: number; coverage: number; clusters: number };
  /** No choice of as many areas can cover more than this share. */
  upperBound: number;
  /** The search proved its choice the best (else `upperBound` bounds the gap). */
  optimal: boolean;
  areas: {
    /** 1 = the area with the most risk: unit 1's. */
    rank: number;
    cells: number[];
    risk: number;
    share: number;
    centre: { lat: number; lon: number };
    place: PlaceNames;
    /** Its outline, [lon, lat] corners, closed. */
    ring: [number, number][];
  }[];
}

export interface ForecastValue {
  /** The model in words: "model 3 (convlstm, default)" or a classical spec such as kde:tau=90,sigma=0.5. */
  model: string;
  /** The registered model's id; null for a classical model. */
  modelId: number | null;
  /** Why a classical model ran when the latest registered one was asked for. */
  note: string | null;
  grid: ForecastGrid;
  stepStart: string;
  stepEnd: string;
  /** Row-major risk per cell, row 0 the northernmost. */
  risk: number[];
  /** Row-major 0/1: the cells scored and drawn. */
  studyMask: number[];
  /** The first step's expected citywide detections beside the typical figure. */
  volume: VolumeView;
  /** Where `units` patrol units go on the risk shown (asked for with `units`). */
  deployment?: DeploymentView;
}

/** A paired-bootstrap 95 % interval of a score's difference from the best classical model's. */
export interface ScoreInterval {
  diff: number;
  lo: number;
  hi: number;
  /** The model compared with. */
  best: string;
}

export type LevelScore = 'deviance' | 'totalDeviance' | 'totalMae' | 'typeLogLoss';

export interface LeaderboardRow {
  name: string;
  hitRate: Record<string, number>;
  pai: Record<string, number>;
  pei: Record<string, number>;
  seconds: number;
  /**
   * Level and calibration scores, lower is better (src/main/evaluate/probabilistic.ts): cell-level Poisson
   * deviance, the deviance and MAE of the citywide count per step, type log-loss (null: no types).
   * Absent in a run stored before they were scored.
   */
  scores?: {
    deviance: number;
    totalDeviance: number;
    totalMae: number;
    meanExpected: number;
    meanObserved: number;
    typeLogLoss: number | null;
  };
  /**
   * How sure: the study cell-steps sorted by the forecast's p(≥ 1) = 1 − e^(−λ) into ten equal bins,
   * each with its mean p and the share that had an event (absent in a run stored before it was kept).
   */
  reliability?: { meanP: number; observed: number; cellSteps: number }[];
  /** Each score's paired interval against the best classical model's (negative is better). */
  vsBestScores?: Partial<Record<LevelScore, ScoreInterval>>;
  /** What the model's last fit found, in plain words (e.g. a network that kept its untrained start). */
  notes?: string[];
}

export interface EvaluationValue {
  /** The stored run (listed by `shotcast runs`; the briefing's track record reads it). */
  runId: number;
  step: StepUnit;
  studyCells: number;
  test: { from: string; to: string; steps: number; events: number };
  models: LeaderboardRow[];
  oracle: { hitRate: Record<string, number> };
  /** Folds in time order; hitRate[model][coverage %]. */
  folds: { label: string; hitRate: Record<string, Record<string, number>> }[];
}

/** A model the app can run, as the catalogue lists it (src/main/forecast/catalogue.ts). */
export interface CatalogueModel {
  name: string;
  summary: string;
  kind: 'classical' | 'neural';
  params: { key: string; default: string }[];
  /** The spec the default leaderboard runs it as, e.g. `kde:tau=90,sigma=0.5`; null when not on it. */
  leaderboard: string | null;
}

/** A registered model, as the registry lists it. */
export interface ModelInfo {
  id: number;
  name: string;
  preset: string;
  label: string;
  createdAt: string;
  grid: ForecastGrid | null;
  step: StepUnit | null;
  /** The model saw events strictly before this local date. */
  dataCutoff: string;
  metrics: Record<string, unknown>;
  onnxPath: string;
  parentId: number | null;
}

/** A stored evaluation run, as `runs.list` gives it. */
export interface RunInfo {
  id: number;
  dataset: string;
  createdAt: string;
  testFrom: string;
  testTo: string;
  step: string;
  models: string[];
  seconds: number;
}

export interface TrainStatus {
  available: boolean;
  reason: string;
}

export interface TrainResult {
  modelId: number;
  onnxPath: string;
  metrics: Record<string, number | string>;
  /** Epochs a resumed run found done in its checkpoint (absent when it started afresh). */
  resumedFromEpoch?: number;
}

/** One patrol area of a briefing, as printed, exported and shown (the core's BriefingArea is this type). */
export interface BriefingAreaRow {
  rank: number;
  /** Row-major grid cells. */
  cells: number[];
  /** Mean of the cells' centres. */
  centre: { lat: number; lon: number };
  neighbourhood: string;
  psa: string;
  district: string;
  /** Expected events in the step (sum of the cells' forecast). */
  risk: number;
  /** Expected share of the step's events in the study area. */
  share: number;
  last7: number;
  last28: number;
}

/**
 * What the Briefing panel shows. The core's BriefingReport must stay assignable to `report` (the
 * handler's return type checks it), so the two cannot drift apart silently.
 */
export interface BriefingReportView {
  title: string;
  agency: string;
  marking: string;
  dataset: { name: string; city: string; tz: string; hash: string };
  window: { start: string; end: string; step: 'shift' | 'day'; label: string };
  generatedAt: string;
  generatedLabel: string;
  model: { spec: string; label: string; name: string; hash: string; cutoff: string };
  deployment: {
    units: number;
    maxCells: number;
    coverage: number;
    cells: number;
    topCells: { cells: number; coverage: number; clusters: number };
  };
  areas: BriefingAreaRow[];
  recent: { total7: number; total28: number };
  skill: { sentence: string } | null;
  /** The window's expected detections and the units they suggest (the routine number × expected ÷ typical). */
  volume: VolumeView & { suggestedUnits: number; suggestionRule: string };
  caveat: string[];
}

export interface BriefingValue {
  report: BriefingReportView;
  /** The PDF file, drawn by the same code as `shotcast brief --out` (renderBriefing). */
  pdfBase64: string;
  bytes: number;
}

/** What deleting a dataset removed (`shotcast datasets --delete`). */
export interface DatasetDeleted {
  name: string;
  deleted: { events: number; rejects: number; imports: number; runs: number; models: number; trials: number };
  /** Model files removed from disk. */
  filesRemoved: number;
}

/** A dataset's zone change (`shotcast datasets --set-tz`). */
export interface DatasetZoneChanged {
  name: string;
  from: string;
  to: string;
  mode: 'wall-clock' | 'instant';
  events: number;
  changed: number;
  dstGapShifted: number;
  /** Stored runs and models, made with the old zone's days. */
  runs: number;
  models: number;
}

/** A dataset's new holiday dates (`shotcast datasets --set-holidays`). */
export interface DatasetHolidaysChanged {
  name: string;
  from: string[];
  to: string[];
  /** Stored runs and models, made with the old dates. */
  runs: number;
  models: number;
}

export interface Responses {
  'app.info': AppInfo;
  'app.ensureDemo': { imported: boolean; dataset: string };
  'datasets.list': DatasetInfo[];
  'datasets.preview': ImportPreviewValue;
  'datasets.import': ImportReport;
  'datasets.rejects': { total: number; byReason: Record<string, number>; rows: RejectRow[] };
  'datasets.rename': { from: string; to: string };
  'datasets.delete': DatasetDeleted;
  'datasets.setZone': DatasetZoneChanged;
  'datasets.setHolidays': DatasetHolidaysChanged;
  'events.load': EventSummary;
  'events.range': EventWindow;
  'forecast.at': ForecastValue;
  'evaluate.run': EvaluationValue;
  'jobs.cancel': { cancelled: boolean };
  'jobs.list': JobInfo[];
  'models.list': ModelInfo[];
  'models.delete': { deleted: boolean; filesRemoved: string[] };
  'models.fineTune': FineTuneValue;
  'runs.list': RunInfo[];
  'runs.get': EvaluationValue;
  'models.catalogue': CatalogueModel[];
  'train.status': TrainStatus;
  'train.run': TrainResult;
  'basemap.tilesInfo': TilesInfo | null;
  'layers.info': CityLayerInfo;
  'layers.get': string | null;
  'layers.import': LayerImportValue;
  'layers.delete': { deleted: boolean };
  'layers.places': PlaceNames[];
  'briefing.render': BriefingValue;
  'briefing.export': BriefingExportValue;
}
export type Response<C extends Channel> = Responses[C];

/** The renderer's view of the backend, identical over Electron IPC and the web host. */
export interface Backend {
  invoke<C extends Channel>(channel: C, request: Request<C>): Promise<Result<Response<C>>>;
  /**
   * Streams a file to the backend and returns its upload id for datasets.import (the web host; its
   * RPC bodies are capped at 1 MB). Absent under Electron, which sends the bytes with the request.
   */
  upload?(file: Blob, fileName: string): Promise<string>;
  onProgress(listener: (p: JobProgress) => void): () => void;
}

/** Names of the preload's functions: `datasets.list` → `datasetsList`. */
export function functionName(channel: Channel): string {
  return channel.replace(/\.(\w)/g, (_, c: string) => c.toUpperCase());
}

/** Parses a request; a one-line error names the channel and the first bad field. */
export function parseRequest<C extends Channel>(channel: C, raw: unknown): Result<Request<C>> {
  const schema = schemas[channel] as unknown as z.ZodType<Request<C>>;
  const r = schema.safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0];
  const path = issue.path.length ? issue.path.join('.') : '(request)';
  return { ok: false, error: `${channel}: invalid argument ${path}: ${issue.message}` };
}
