import { errorFromWorker, startWorker, type WorkerFailure } from '../util/worker.ts';
import type { RowBatch } from './batch.ts';
import type { ParseJob, ParseResult } from './parse-job.ts';
import type { BatchWriter } from './writer.ts';

const WORKER_YOUNG_GENERATION_MB = 8;

/** Messages from the parsing worker, in the order it sends them: open, batch…, then done or error. */
export type FromWorker =
  | { type: 'open'; format: string; zone: { tz: string; city: string } }
  | { type: 'batch'; batch: RowBatch }
  | { type: 'done'; result: ParseResult }
  | ({ type: 'error' } & WorkerFailure);

/**
 * Parses a CSV file in a worker thread while this thread writes: the worker reads, hashes, maps,
 * validates and de-duplicates, and posts batches of rows; each is written here as it arrives (inside
 * the caller's transaction) and acknowledged, which lets the worker run a few batches ahead and no
 * further. `open` creates the dataset and import once the worker has found the header.
 */
export function parseInWorker(
  job: ParseJob,
  open: (format: string, zone: { tz: string; city: string }) => { writer: BatchWriter },
  tick: (read: number, total: number, rows: number) => void,
): Promise<ParseResult> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(new URL('./parse.worker.ts', import.meta.url), {
      workerData: { job },
      // Its garbage is short-lived rows: a small young generation keeps the process's peak memory
      // down (the importer must stay well under 300 MB) at no measurable cost in speed.
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
    let writer: BatchWriter | null = null;
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      f();
    };
    worker.on('message', (m: FromWorker) => {
      if (settled) return;
      try {
        if (m.type === 'batch') {
          writer!.write(m.batch);
          worker.postMessage('ack');
          tick(m.batch.bytesRead, m.batch.totalBytes, m.batch.rowsRead);
        } else if (m.type === 'open') writer = open(m.format, m.zone).writer;
        else if (m.type === 'done') finish(() => resolve(m.result));
        else {
          finish(() => reject(errorFromWorker(m)));
        }
      } catch (e) {
        finish(() => reject(e));
      }
    });
    worker.on('error', (e) => finish(() => reject(e)));
    worker.on('exit', (code) =>
      finish(() => reject(new Error(`import worker stopped (exit code ${code}) before finishing`))),
    );
  });
}
