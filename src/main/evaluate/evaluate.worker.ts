import { parentPort, workerData } from 'node:worker_threads';
import { openDb } from '../db/connection.ts';
import { failureOf } from '../util/worker.ts';
import { runEvaluation, type EvaluationOptions } from './walkforward.ts';

interface Input {
  dbPath: string;
  options: EvaluationOptions;
  modules: string[];
}

const port = parentPort!;
const input = workerData as Input;
const abort = new AbortController();
port.on('message', (m: { type: string }) => {
  if (m.type === 'cancel') abort.abort();
});

try {
  // Modules that register more forecasters or step scorers (e.g. the neural model) load here first.
  for (const m of input.modules) await import(m);
  const db = openDb(input.dbPath, { readonly: true });
  try {
    const out = await runEvaluation(
      db,
      input.options,
      (progress) => port.postMessage({ type: 'progress', progress }),
      abort.signal,
    );
    const transfer = out.forecasts ? out.forecasts.byModel.map((m) => m.risk.buffer as ArrayBuffer) : [];
    port.postMessage({ type: 'done', output: out }, transfer);
  } finally {
    db.close();
  }
} catch (e) {
  port.postMessage({ type: 'error', ...failureOf(e) });
}
port.close();
