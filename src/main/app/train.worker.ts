/** The training job in its own thread: the window's process keeps answering while a network trains. */
import { parentPort, workerData } from 'node:worker_threads';
import { openDb } from '../db/connection.ts';
import { fitAndExport, type TrainJob } from '../train/jobs.ts';
import { failureOf } from '../util/worker.ts';

interface Input {
  dbPath: string;
  job: Omit<TrainJob, 'progress' | 'signal'>;
}

const port = parentPort!;
const input = workerData as Input;
const abort = new AbortController();
port.on('message', (m: { type: string }) => {
  if (m.type === 'cancel') abort.abort();
});

try {
  const db = openDb(input.dbPath, { readonly: true });
  try {
    const trained = await fitAndExport(db, {
      ...input.job,
      progress: (progress) => port.postMessage({ type: 'progress', progress }),
      signal: abort.signal,
    });
    port.postMessage({ type: 'done', output: trained });
  } finally {
    db.close();
  }
} catch (e) {
  port.postMessage({ type: 'error', ...failureOf(e) });
}
port.close();
