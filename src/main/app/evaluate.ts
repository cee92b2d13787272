/**
 * The `evaluate` use case: a walk-forward backtest in a worker thread, stored as a run whatever door
 * asked for it (so the briefing's track record sees the app's runs too), optionally with its forecasts.
 */
import { storeRun } from '../evaluate/store-run.ts';
import { DataError } from '../util/errors.ts';
import { runEvaluation, type EvaluationOptions, type EvaluationOutput } from '../evaluate/walkforward.ts';
import { requireDataset } from '../grid/build.ts';
import { parseModelList } from '../forecast/registry.ts';
import { refuseBeforeCutoff } from '../networks/registered.ts';
import { requireModel } from '../networks/train-job.ts';
import { runJobInWorker } from '../util/worker.ts';
import type { JobHooks, Workstation } from './context.ts';
import './wiring.ts';

export type { Cadence, EvaluationResult, WindowKind } from '../evaluate/walkforward.ts';

export interface EvaluateRequest extends Omit<EvaluationOptions, 'keepForecasts'> {
  /** Write every model's forecasts (`.npy` per model and an index.json) here. */
  forecastsDir?: string;
  /** The study-area file's path as the analyst gave it, recorded with the run's options. */
  studyAreaFile?: string;
}

export interface EvaluateResult extends EvaluationOutput {
  runId: number;
  seconds: number;
}

/**
 * The backtest finished but another program held the database past every retry: its results are kept
 * in a file next to the database (`shotcast runs import FILE` stores them later). The door can still
 * show the results it carries.
 */
export class UnsavedRunError extends DataError {
  constructor(
    readonly output: EvaluationOutput,
    readonly file: string,
    dbPath: string,
    error: string,
  ) {
    super(
      `could not store the run (${error}); the results are kept in ${file}: store them with \`shotcast runs import ${file} --db ${dbPath}\``,
    );
  }
}

export async function evaluate(
  ws: Workstation,
  req: EvaluateRequest,
  hooks: JobHooks = {},
): Promise<EvaluateResult> {
  const dataset = requireDataset(ws.db, req.dataset);
  checkRegisteredModels(ws, dataset, req);
  const { forecastsDir, studyAreaFile, ...rest } = req;
  // The walk-forward streams the forecasts to the folder step by step (never all in memory).
  const options: EvaluationOptions = { ...rest, ...(forecastsDir ? { forecastsDir } : {}) };
  const t0 = performance.now();
  const out =
    ws.dbPath === ':memory:'
      ? await runEvaluation(ws.db, options, hooks.progress, hooks.signal)
      : await walkForwardInWorker(ws.dbPath, options, hooks);
  const seconds = (performance.now() - t0) / 1000;
  const r = out.result;
  const models = typeof req.models === 'string' ? r.models.map((m) => m.spec) : req.models.map((m) => m.spec);
  const stored = await storeRun(ws.db, ws.dbPath, {
    datasetId: dataset.id,
    datasetHash: r.dataset.hash,
    dataCutoff: r.dataset.cutoff,
    testFrom: req.testFrom,
    testTo: req.testTo,
    step: r.step,
    models: r.models.map((m) => m.name),
    options: { ...options, studyArea: studyAreaFile ?? (req.studyArea ? 'polygon' : null), models },
    result: r,
    seconds,
  });
  if ('file' in stored) throw new UnsavedRunError(out, stored.file, ws.dbPath, stored.error);
  return { ...out, runId: stored.runId, seconds };
}

/**
 * Registered models (`model:ID`) are refused before any work when they belong to another dataset or
 * when the test period starts before their data cut-off (they would be scored on days they learnt from).
 */
function checkRegisteredModels(
  ws: Workstation,
  dataset: { id: number; name: string },
  req: Pick<EvaluateRequest, 'models' | 'testFrom'>,
): void {
  const specs = typeof req.models === 'string' ? parseModelList(req.models) : req.models;
  for (const s of specs) {
    if (s.name !== 'model') continue;
    const m = requireModel(ws.db, Number(s.params.id));
    if (m.datasetId !== dataset.id)
      throw new DataError(`model ${m.id} belongs to another dataset, not '${dataset.name}'`);
    if (req.testFrom < m.dataCutoff) throw refuseBeforeCutoff(m, req.testFrom);
  }
}

/** A walk-forward run in a worker thread on its own read-only handle (not stored: `evaluate` stores). */
export function walkForwardInWorker(
  dbPath: string,
  options: EvaluationOptions,
  hooks: JobHooks = {},
): Promise<EvaluationOutput> {
  return runJobInWorker(new URL('./evaluate.worker.ts', import.meta.url), { dbPath, options }, hooks);
}
