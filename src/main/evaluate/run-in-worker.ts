import type { ProgressFn } from '../../shared/types.ts';
import { errorFromWorker, startWorker, type WorkerFailure } from '../util/worker.ts';
import type { EvaluationOptions, EvaluationOutput } from './walkforward.ts';

export interface WorkerRunOptions {
  progress?: ProgressFn;
  signal?: AbortSignal;
  /** Module URLs the worker imports before running (to register more forecasters or scorers). */
  modules?: string[];
}

/**
 * Runs a walk-forward evaluation in a worker thread, so the app stays responsive; progress events
 * arrive on the calling thread. The worker opens the database read-only itself.
 */
export function runEvaluationInWorker(
  dbPath: string,
  options: EvaluationOptions,
  run: WorkerRunOptions = {},
): Promise<EvaluationOutput> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(new URL('./evaluate.worker.ts', import.meta.url), {
      workerData: { dbPath, options, modules: run.modules ?? [] },
    });
    let settled = false;
    const onAbort = () => worker.postMessage({ type: 'cancel' });
    run.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      run.signal?.removeEventListener('abort', onAbort);
      f();
    };
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') run.progress?.(m.progress);
      else if (m.type === 'done') finish(() => resolve(m.output));
      else if (m.type === 'error') {
        finish(() => reject(errorFromWorker(m)));
      }
    });
    worker.on('error', (e) => finish(() => reject(e)));
    worker.on('exit', (code) =>
      finish(() => reject(new Error(`evaluation worker stopped (exit code ${code}) before finishing`))),
    );
  });
}

type WorkerMessage =
  | { type: 'progress'; progress: Parameters<ProgressFn>[0] }
  | { type: 'done'; output: EvaluationOutput }
  | ({ type: 'error' } & WorkerFailure);
