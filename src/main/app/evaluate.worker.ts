/** The `evaluate` use case's worker: a walk-forward run on its own read-only handle, so the app keeps answering. */
import { runEvaluation, type EvaluationOptions, type EvaluationOutput } from '../evaluate/walkforward.ts';
import { serveJob } from '../util/worker.ts';
import { withReadonlyDb } from './context.ts';
import './wiring.ts';

await serveJob<{ dbPath: string; options: EvaluationOptions }, EvaluationOutput>(
  ({ dbPath, options }, { progress, signal }) =>
    withReadonlyDb(dbPath, (db) => runEvaluation(db, options, progress, signal)),
  (out) => out.forecasts?.byModel.map((m) => m.risk.buffer as ArrayBuffer) ?? [],
);
