/**
 * The `evaluate` use case: a walk-forward backtest in a worker thread, stored as a run whatever door
 * asked for it (so the briefing's track record sees the app's runs too), optionally with its forecasts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { storeRun } from '../evaluate/store-run.ts';
import { DataError } from '../util/errors.ts';
import { writeNpyFloat32 } from '../evaluate/npy.ts';
import { runEvaluation, type EvaluationOptions, type EvaluationOutput } from '../evaluate/walkforward.ts';
import { requireDataset } from '../grid/build.ts';
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
  const { forecastsDir, studyAreaFile, ...rest } = req;
  const options: EvaluationOptions = { ...rest, keepForecasts: forecastsDir !== undefined };
  const t0 = performance.now();
  const out =
    ws.dbPath === ':memory:'
      ? await runEvaluation(ws.db, options, hooks.progress, hooks.signal)
      : await walkForwardInWorker(ws.dbPath, options, hooks);
  const seconds = (performance.now() - t0) / 1000;
  const r = out.result;
  if (forecastsDir && out.forecasts) writeForecasts(forecastsDir, out);
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

/** A walk-forward run in a worker thread on its own read-only handle (not stored: `evaluate` stores). */
export function walkForwardInWorker(
  dbPath: string,
  options: EvaluationOptions,
  hooks: JobHooks = {},
): Promise<EvaluationOutput> {
  return runJobInWorker(new URL('./evaluate.worker.ts', import.meta.url), { dbPath, options }, hooks);
}

function writeForecasts(dir: string, out: EvaluationOutput): void {
  const f = out.forecasts;
  if (!f) return;
  const { rows, cols, bbox } = out.result.grid;
  mkdirSync(dir, { recursive: true });
  for (const m of f.byModel)
    writeNpyFloat32(join(dir, `${fileName(m.name)}.npy`), m.risk, [f.steps.length, rows, cols]);
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      steps: f.steps,
      rows,
      cols,
      bbox,
      studyMask: Array.from(f.studyMask),
      models: f.byModel.map((m) => ({ name: m.name, file: `${fileName(m.name)}.npy` })),
    }) + '\n',
  );
}

/** A model name as a file name: params specs keep their letters, other characters become '_'. */
function fileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._=-]/g, '_');
}
