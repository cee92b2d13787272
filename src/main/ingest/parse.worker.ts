/**
 * Parsing worker of a big CSV import: reads, hashes and parses the file, and posts the rows in
 * batches to the thread that owns the database connection, which writes them while this thread
 * parses the next ones. See parallel.ts for the other side and the messages.
 */
import { createHash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { failureOf } from '../util/worker.ts';
import { batchBuffers } from './batch.ts';
import { resultOf, sessionFor, type ParseJob } from './parse-job.ts';
import type { FromWorker } from './parallel.ts';
import { readCsv } from './read/csv.ts';
import type { ImportSession } from './session.ts';

/** Batches posted but not yet written: enough to keep the writer busy, few enough to bound memory. */
const MAX_IN_FLIGHT = 4;

const port = parentPort!;
const post = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

async function run(job: ParseJob): Promise<void> {
  let inFlight = 0;
  let resume: (() => void) | null = null;
  port.on('message', () => {
    inFlight--;
    const r = resume;
    resume = null;
    r?.();
  });
  const hash = createHash('sha256');
  let bytesRead = 0;
  let totalBytes = 0;
  const session: ImportSession = sessionFor(
    job,
    (format, zone) => {
      post({ type: 'open', format, zone });
      return {};
    },
    (batch) => {
      batch.bytesRead = bytesRead;
      batch.totalBytes = totalBytes;
      batch.rowsRead = session.counts.rows;
      inFlight++;
      post({ type: 'batch', batch }, batchBuffers(batch));
    },
  );
  await readCsv(job.file, (cells, line, raw) => session.row(cells, line, raw), {
    gzip: job.gzip,
    onChunk: (chunk, read, total) => {
      hash.update(chunk);
      bytesRead = read;
      totalBytes = total;
    },
    pause: () => (inFlight >= MAX_IN_FLIGHT ? new Promise<void>((r) => (resume = r)) : undefined),
  });
  post({ type: 'done', result: resultOf(session, session.finish(), hash) });
}

run(workerData.job as ParseJob).catch((e: unknown) => post({ type: 'error', ...failureOf(e) }));
