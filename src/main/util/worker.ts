import { Worker, type WorkerOptions } from 'node:worker_threads';

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
