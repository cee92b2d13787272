import { Worker, type WorkerOptions } from 'node:worker_threads';
import { DataError, ShotcastError, UsageError } from './errors.ts';

/**
 * Starts a worker thread on a module of the core. Under tsx (CLI, tests, web host) the module is
 * TypeScript source, which a worker cannot load by itself: a tiny ESM bootstrap registers tsx in the
 * worker first. In a bundled build the module is plain JavaScript and is started directly.
 */
export function startWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  const workerData = { ...(options.workerData ?? {}), __entry: entry.href };
  return new Worker(new URL('./worker-boot.mjs', import.meta.url), { ...options, workerData });
}

/** What a worker posts when its job fails: the message, the CLI exit code it maps to, its stack. */
export interface WorkerFailure {
  message: string;
  exitCode?: number | null;
  stack?: string;
}

/** The error a worker's failure message stands for on this side (its stack only with SHOTCAST_DEBUG). */
export function errorFromWorker(m: WorkerFailure): Error {
  if (process.env.SHOTCAST_DEBUG && m.stack) console.error(m.stack);
  if (m.exitCode === 2) return new UsageError(m.message);
  if (m.exitCode === 1) return new DataError(m.message);
  return new Error(m.message);
}

/** The failure message a worker posts for an error, so errorFromWorker can rebuild it. */
export function failureOf(e: unknown): WorkerFailure {
  const err = e instanceof Error ? e : new Error(String(e));
  return {
    message: err.message,
    exitCode: err instanceof ShotcastError ? err.exitCode : null,
    stack: err.stack,
  };
}
