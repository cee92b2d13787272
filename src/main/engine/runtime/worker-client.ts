/**
 * Training in a worker thread, so the UI's and CLI's event loops stay free. The returned handle
 * streams progress events, can be cancelled (the worker stops between two steps and still reports
 * what it did), and resolves with the fit result and the trained weights.
 */
import { startWorker } from '../../util/worker.ts';
import type { FitResult, TrainProgress } from './fit.ts';
import type { FromWorker, WorkerJob } from './worker-protocol.ts';
import type { ExportResult } from '../export.ts';

export interface WorkerTrainResult {
  result: FitResult;
  weights: Map<string, Float32Array>;
  stepCount: number;
  exported?: ExportResult;
}

export interface TrainHandle {
  done: Promise<WorkerTrainResult>;
  cancel(): void;
}

export function trainInWorker(job: WorkerJob, onProgress?: (p: TrainProgress) => void): TrainHandle {
  const worker = startWorker(new URL('./train.worker.ts', import.meta.url), { workerData: { job } });
  const done = new Promise<WorkerTrainResult>((resolve, reject) => {
    let settled = false;
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'progress') onProgress?.(m.progress);
      else if (m.type === 'error') {
        settled = true;
        reject(new Error(m.message));
        void worker.terminate();
      } else {
        settled = true;
        resolve({
          result: m.result,
          weights: new Map(Object.entries(m.weights)),
          stepCount: m.stepCount,
          exported: m.exported,
        });
        void worker.terminate();
      }
    });
    worker.on('error', (e) => {
      if (!settled) reject(e);
      settled = true;
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`training worker exited with code ${code} before finishing`));
      settled = true;
    });
  });
  return { done, cancel: () => worker.postMessage({ type: 'cancel' }) };
}
