import { parentPort, Worker, workerData, type WorkerOptions } from 'node:worker_threads';
import type { Progress, ProgressFn } from '../../shared/types.ts';
import { CancelledError, DataError, ShotcastError, UsageError } from './errors.ts';

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
  cancelled?: boolean;
  exitCode?: number | null;
  stack?: string;
}

/** The error a worker's failure message stands for on this side (its stack only with SHOTCAST_DEBUG). */
export function errorFromWorker(m: WorkerFailure): Error {
  if (process.env.SHOTCAST_DEBUG && m.stack) console.error(m.stack);
  if (m.cancelled) return new CancelledError(m.message);
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
    cancelled: err instanceof CancelledError,
    stack: err.stack,
  };
}

/** What a job worker posts: progress ticks, then its result or its failure. */
export type JobWorkerMessage<T> =
  | { type: 'progress'; progress: Progress }
  | { type: 'done'; output: T }
  | ({ type: 'error' } & WorkerFailure);

/**
 * Runs a job module in a worker thread and resolves with what it posts as done. Progress arrives on this
 * thread; aborting the signal posts `{ type: 'cancel' }`, which the job turns into its own cancellation.
 */
export function runJobInWorker<T>(
  entry: URL,
  workerData: unknown,
  hooks: { progress?: ProgressFn; signal?: AbortSignal } = {},
): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(entry, { workerData });
    let settled = false;
    const onAbort = () => worker.postMessage({ type: 'cancel' });
    hooks.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      hooks.signal?.removeEventListener('abort', onAbort);
      f();
    };
    worker.on('message', (m: JobWorkerMessage<T>) => {
      if (m.type === 'progress') {
        // A listener that throws (a cancelled job's progress does) must not escape an event handler.
        try {
          hooks.progress?.(m.progress);
        } catch {
          /* the job is being cancelled; the worker reports how it ends */
        }
      } else if (m.type === 'done') finish(() => resolve(m.output));
      else if (m.type === 'error') finish(() => reject(errorFromWorker(m)));
    });
    worker.on('error', (e) => finish(() => reject(e)));
    worker.on('exit', (code) =>
      finish(() => reject(new Error(`worker stopped (exit code ${code}) before finishing`))),
    );
  });
}

/**
 * The worker side of runJobInWorker: runs the job on the worker's input with progress and cancel wired
 * to the parent, then posts its result (moving the buffers `transfer` names) or its failure.
 */
export async function serveJob<I, T>(
  run: (input: I, hooks: { progress: ProgressFn; signal: AbortSignal }) => Promise<T>,
  transfer: (output: T) => ArrayBuffer[] = () => [],
): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('serveJob runs in a worker thread');
  const abort = new AbortController();
  port.on('message', (m: { type: string }) => {
    if (m.type === 'cancel') abort.abort();
  });
  try {
    const progress: ProgressFn = (p) => port.postMessage({ type: 'progress', progress: p });
    const output = await run(workerData as I, { progress, signal: abort.signal });
    port.postMessage({ type: 'done', output }, transfer(output));
  } catch (e) {
    port.postMessage({ type: 'error', ...failureOf(e) });
  }
  port.close();
}
