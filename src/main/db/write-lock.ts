import { setTimeout as sleep } from 'node:timers/promises';
import { DataError } from '../util/errors.ts';
import { BUSY_TIMEOUT_MS, type WritableDb } from './connection.ts';

/**
 * Starts a write transaction (BEGIN IMMEDIATE) without blocking the event loop while another
 * connection holds the write lock: it tries with no busy wait and, while the database is busy, waits
 * asynchronously and tries again, for up to `timeoutMs`. A window or a web page served by the same
 * process keeps answering meanwhile. `onWait` is called once, when the first try finds the lock held.
 * Fails with one line if the lock is still held at the end: nothing has been written.
 */
export async function beginImmediate(
  db: WritableDb,
  opts: { timeoutMs?: number; onWait?: () => void; signal?: AbortSignal } = {},
): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? BUSY_TIMEOUT_MS;
  const deadline = performance.now() + timeoutMs;
  let delay = 10;
  let waited = false;
  for (;;) {
    // A transaction of another job on this same connection (an import awaiting its next batch) is a
    // holder like any other: wait for it rather than write inside it.
    if (!db.inTransaction && withoutBusyWait(db, () => tryExec(db, 'BEGIN IMMEDIATE'))) return;
    if (performance.now() >= deadline) {
      throw new DataError(
        `the database ${db.name} is busy: another program has held its write lock for ${seconds(timeoutMs)} s; nothing was written, try again when it has finished`,
      );
    }
    if (!waited) {
      waited = true;
      opts.onWait?.();
    }
    await sleep(delay, undefined, opts.signal ? { signal: opts.signal } : undefined);
    delay = Math.min(delay * 2, 200);
  }
}

/**
 * Runs `fn` (short and synchronous) in a write transaction taken by beginImmediate, so that waiting for
 * the lock never blocks the event loop, then commits; rolls back if `fn` throws. For the writes a
 * window triggers (registering a model, deleting one, a layer, a dataset change): the lock is held
 * only for as long as `fn` runs.
 */
export async function writeTransaction<T>(
  db: WritableDb,
  fn: () => T,
  opts: Parameters<typeof beginImmediate>[1] = {},
): Promise<T> {
  await beginImmediate(db, opts);
  try {
    const value = fn();
    db.exec('COMMIT');
    return value;
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
  }
}

/**
 * Checkpoints the write-ahead log into the database and truncates the -wal file to nothing, after a
 * big write. Never waits on a lock: if a reader or a writer is busy, it tries again a few times
 * asynchronously and then leaves it to the next checkpoint (journal_size_limit still bounds the
 * file). Returns whether the -wal file was emptied.
 */
export async function checkpointTruncate(db: WritableDb, tries = 10): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    const r = withoutBusyWait(db, () => {
      try {
        return (db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[])[0];
      } catch (e) {
        if (isBusy(e)) return { busy: 1 };
        throw e;
      }
    });
    if (r.busy === 0) return true;
    await sleep(50);
  }
  return false;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(ms < 10_000 ? 1 : 0);
}

function withoutBusyWait<T>(db: WritableDb, f: () => T): T {
  const busy = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    return f();
  } finally {
    db.pragma(`busy_timeout = ${busy}`);
  }
}

function tryExec(db: WritableDb, sql: string): boolean {
  try {
    db.exec(sql);
    return true;
  } catch (e) {
    if (isBusy(e)) return false;
    throw e;
  }
}

function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code === 'SQLITE_LOCKED');
}
