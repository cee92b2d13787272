/**
 * The `forecast` use case, the one path behind the map, the Forecast panel, `shotcast forecast`,
 * `shotcast export` and the briefing. A registered model runs its exported .onnx through onnxruntime
 * (no training code involved, so a forecast never retrains it); a classical model is fitted on the
 * history before the step, and only when the analyst asked for it or no model is registered.
 */
import type { ReadonlyDb } from '../db/connection.ts';
import { listModels, type ModelRecord } from '../db/queries/models.ts';
import { requireDataset } from '../grid/build.ts';
import { cellCentre } from '../grid/spec.ts';
import { isoLocal, nextStepStart } from '../grid/time.ts';
import type { GridOptions, GridSpec, StepSpec } from '../grid/types.ts';
import { forecastAt, requireSomeRisk } from '../forecast/forecast-at.ts';
import { typeSoftmax } from '../forecast/neural/convlstm.ts';
import { MODEL_TYPES, NO_TYPES_NOTE } from '../../shared/types.ts';
import { rankCells, studyCellsOf } from '../evaluate/metrics.ts';
import { DataError } from '../util/errors.ts';
import { loadHistory } from '../history/load.ts';
import './wiring.ts';
import { requireModel } from '../networks/train-job.ts';
import { RegisteredNetwork, type NetworkStep } from '../networks/registered.ts';
import { typesLearned, trailingTypeMix } from '../networks/type-mix.ts';
import { forecastVolume, type Volume } from '../briefing/volume.ts';
import { DEFAULT_CLASSICAL, specOf, type ClassicalModel, type ModelChoice } from './model-choice.ts';

export { levelSinceFit } from '../networks/registered.ts';

export interface ForecastRequest {
  dataset: string;
  /** The step to forecast: 'YYYY-MM-DD' or a local ISO time inside it; only history before it is used. */
  at: string;
  model: ModelChoice;
  /** Grid and step of a classical forecast; a registered model brings its own (its step must match for 'latest'). */
  grid: GridOptions;
  step: StepSpec;
  /** Steps to forecast from the same cut-off (default 1). */
  horizon?: number;
  /**
   * Extra holiday dates (YYYY-MM-DD or yearly MM-DD) for this forecast, besides the dataset's own
   * (`setDatasetHolidays`) and the built-in list.
   */
  holidays?: readonly string[];
}

/** The model a forecast used, with the words the doors show for it. */
export type UsedModel =
  | {
      source: 'neural';
      id: number;
      name: string;
      preset: string;
      onnxSha256: string;
      dataCutoff: string;
      params: Record<string, unknown>;
      label: string;
    }
  | { source: 'classical'; name: string; params: Record<string, string>; spec: string; label: string };

export interface Forecast {
  model: UsedModel;
  /** Why a classical model ran when the analyst asked for the latest registered one. */
  note: string | null;
  grid: GridSpec;
  step: StepSpec;
  /** ISO local start and end of each forecast step. */
  steps: { start: string; end: string }[];
  /** Expected events per cell in the first step, row-major. */
  risk: Float32Array;
  /** One map per horizon step that the model forecasts (a network forecasts the next step only). */
  risks: Float32Array[];
  studyMask: Uint8Array;
  /** Type of the next event per cell, [MODEL_TYPES.length × cells], when the model has a type head. */
  types: Float32Array | null;
  /** UTC ms of the first step's start: the forecast saw only events before it. */
  cutoffMs: number;
  /** NO_TYPES_NOTE when the history holds no typed event, so no type mix is given; else null. */
  typeNote: string | null;
  /**
   * Where `types` comes from, when given: the network's type head (only when it beat the trailing
   * year's mix on its validation days), or that mix, the same in every cell; with the reason in words.
   */
  typeBasis: { source: 'network' | 'trailing-year mix'; note: string } | null;
  /** Expected citywide detections in the first step beside the typical figure for such a step (volume.ts). */
  volume: Volume;
  /** The holiday dates used besides the built-in ones: the dataset's own and the request's, sorted. */
  holidays: string[];
}

export interface TopCell {
  rank: number;
  cell: number;
  row: number;
  col: number;
  lat: number;
  lon: number;
  /** Expected events in the step. */
  risk: number;
  /** P(at least one event) = 1 − e^(−risk). */
  probability: number;
  /** Type of the next event: probability per MODEL_TYPES entry (neural default preset only). */
  types?: Record<string, number>;
}

/** The registered model a choice names, or undefined when 'latest' finds none for this step. */
export function chosenRecord(
  db: ReadonlyDb,
  datasetId: number,
  datasetName: string,
  choice: ModelChoice,
  step: StepSpec,
): ModelRecord | undefined {
  if (choice.kind === 'classical') return undefined;
  if (choice.kind === 'registered') {
    const m = requireModel(db, choice.id);
    if (m.datasetId !== datasetId)
      throw new DataError(`model ${m.id} belongs to another dataset, not '${datasetName}'`);
    return m;
  }
  return listModels(db, datasetId)
    .reverse()
    .find((m) => (m.params.step as StepSpec | undefined)?.unit === step.unit);
}

export function registeredLabel(m: Pick<ModelRecord, 'id' | 'name' | 'preset'>): string {
  return `model ${m.id} (${m.name}, ${m.preset})`;
}

export async function forecast(db: ReadonlyDb, req: ForecastRequest): Promise<Forecast> {
  const dataset = requireDataset(db, req.dataset);
  const horizon = Math.max(1, Math.floor(req.horizon ?? 1));
  const record = chosenRecord(db, dataset.id, dataset.name, req.model, req.step);
  if (record) return registeredForecast(db, req, record, horizon);
  if (req.model.kind === 'registered') throw new Error('unreachable: a registered model was found above');
  if (req.model.kind === 'latest' && !req.model.fallback)
    throw new DataError(
      `dataset '${dataset.name}' has no registered model for ${req.step.unit} steps; train one first`,
    );
  const classical: ClassicalModel =
    req.model.kind === 'classical' ? req.model.model : (req.model.fallback ?? DEFAULT_CLASSICAL);
  const spec = specOf(classical);
  const r = await forecastAt(db, {
    dataset: req.dataset,
    grid: req.grid,
    step: req.step,
    at: req.at,
    model: { spec, name: classical.name, params: classical.params },
    horizon,
    holidays: req.holidays,
  });
  return {
    model: { source: 'classical', name: r.model.name, params: classical.params, spec, label: spec },
    note:
      req.model.kind === 'latest'
        ? `no registered model for ${req.step.unit} steps of '${dataset.name}': classical ${spec}`
        : null,
    grid: r.grid,
    step: req.step,
    steps: stepList(dataset.tz, req.step, r.cutoffMs, horizon),
    risk: r.risk,
    risks: r.risks,
    studyMask: r.studyMask,
    types: null,
    cutoffMs: r.cutoffMs,
    typeNote: r.typedEvents === 0 ? NO_TYPES_NOTE : null,
    typeBasis: null,
    volume: forecastVolume(db, dataset.id, {
      tz: dataset.tz,
      grid: r.grid,
      step: req.step,
      studyMask: r.studyMask,
      risk: r.risk,
      cutoffMs: r.cutoffMs,
      holidays: r.holidays,
    }),
    holidays: r.holidays,
  };
}

async function registeredForecast(
  db: ReadonlyDb,
  req: ForecastRequest,
  record: ModelRecord,
  horizon: number,
): Promise<Forecast> {
  // A missing or changed file is reported, never used (open checks it).
  const net = await RegisteredNetwork.open(record);
  const { config, grid, step } = net.setup;
  let hist: ReturnType<typeof loadHistory>;
  let view: ReturnType<typeof hist.view>;
  let run: NetworkStep;
  try {
    hist = loadHistory(db, req.dataset, { grid, step, end: req.at, holidays: req.holidays });
    view = hist.view();
    run = await net.step(view);
  } finally {
    await net.release();
  }
  const cells = hist.grid.rows * hist.grid.cols;
  const { risk, logits } = run;
  const steps = stepList(hist.dataset.tz, step, hist.endMs, horizon);
  requireSomeRisk(risk, view.studyMask, `model ${record.id} for ${steps[0].start.slice(0, 10)}`, {
    dataset: hist.dataset.name,
    events: view.events.count(),
    outsideGrid: 0,
  });
  // A type mix learnt from no typed event is only the head's starting point: give none.
  const typed = view.events.typeTotals().some((v) => v > 0);
  const withTypes = config.preset !== 'reference' && typed;
  const head = withTypes ? typeSoftmax(logits, run.typeChannels, cells) : null;
  const t = head ? typeChoice(record, head, hist, cells) : { types: null, basis: null };
  return {
    model: {
      source: 'neural',
      id: record.id,
      name: record.name,
      preset: record.preset,
      onnxSha256: record.onnxSha256,
      dataCutoff: record.dataCutoff,
      params: record.params,
      label: registeredLabel(record),
    },
    note: null,
    grid: hist.grid,
    step,
    steps,
    risk,
    risks: [risk],
    studyMask: view.studyMask,
    types: t.types,
    cutoffMs: hist.endMs,
    typeNote: typed ? null : NO_TYPES_NOTE,
    typeBasis: t.basis,
    volume: forecastVolume(db, hist.dataset.id, {
      tz: hist.dataset.tz,
      grid: hist.grid,
      step,
      studyMask: view.studyMask,
      risk,
      cutoffMs: hist.endMs,
      holidays: hist.holidays,
    }),
    holidays: hist.holidays,
  };
}

/**
 * The network's per-cell types when its head beat the trailing year's mix on its validation days
 * (recorded at registration), else that mix in every cell, counted over the year before the step.
 */
function typeChoice(
  record: ModelRecord,
  head: Float32Array,
  hist: ReturnType<typeof loadHistory>,
  cells: number,
): { types: Float32Array | null; basis: Forecast['typeBasis'] } {
  const m = record.metrics;
  const net = Number(m.valTypeLogLoss);
  const base = Number(m.valMixTypeLogLoss);
  const scores = `${net.toFixed(3)} against ${base.toFixed(3)} nats per cell with a typed event`;
  if (typesLearned(m))
    return {
      types: head,
      basis: {
        source: 'network',
        note: `type mix per cell from the network: on its validation days it beat the trailing year's mix (${scores})`,
      },
    };
  const mix = trailingTypeMix(hist.events, hist.grid, hist.endMs, hist.studyMask);
  if (!mix) return { types: null, basis: null };
  const types = new Float32Array(MODEL_TYPES.length * cells);
  for (let k = 0; k < MODEL_TYPES.length; k++) types.fill(mix[k], k * cells, (k + 1) * cells);
  const why =
    m.typeHead === 0
      ? 'the network has no trained type head (typeWeight=0)'
      : Number.isFinite(base)
        ? Number.isFinite(net)
          ? `the network's type forecast did not beat it on its validation days (${scores})`
          : "the network's type forecast was not scored on its validation days"
        : 'this model was registered before type forecasts were checked against it';
  return {
    types,
    basis: {
      source: 'trailing-year mix',
      note: `type mix: the trailing year's, the same in every cell, as ${why}`,
    },
  };
}

/** The n riskiest study cells, highest first (ties by cell order). */
export function topCells(f: Pick<Forecast, 'grid' | 'risk' | 'studyMask' | 'types'>, n: number): TopCell[] {
  const { grid, risk, studyMask, types } = f;
  const cells = grid.rows * grid.cols;
  const order = rankCells(risk, studyCellsOf(studyMask)).subarray(0, n);
  return Array.from(order, (cell, k) => {
    const c = cellCentre(grid, cell);
    const t: TopCell = {
      rank: k + 1,
      cell,
      row: Math.floor(cell / grid.cols),
      col: cell % grid.cols,
      lat: c.lat,
      lon: c.lon,
      risk: risk[cell],
      probability: 1 - Math.exp(-risk[cell]),
    };
    if (types) t.types = Object.fromEntries(MODEL_TYPES.map((name, k2) => [name, types[k2 * cells + cell]]));
    return t;
  });
}

function stepList(tz: string, step: StepSpec, start: number, horizon: number) {
  const out: { start: string; end: string }[] = [];
  let s = start;
  for (let k = 0; k < horizon; k++) {
    const e = nextStepStart(tz, step, s);
    out.push({ start: isoLocal(tz, s), end: isoLocal(tz, e) });
    s = e;
  }
  return out;
}
