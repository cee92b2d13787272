import type { JobProgress } from '../../shared/contract.ts';
import type { Progress, ProgressFn } from '../../shared/types.ts';

import { CancelledError } from '../util/errors.ts';

export { CancelledError };

/** Long jobs keyed by the caller's job id: their progress goes to every listener, and they can be cancelled. */
export class Jobs {
  private readonly running = new Map<string, AbortController>();
  private readonly listeners = new Set<(p: JobProgress) => void>();

  onProgress(listener: (p: JobProgress) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async run<T>(jobId: string, fn: (progress: ProgressFn, signal: AbortSignal) => Promise<T> | T): Promise<T> {
    if (this.running.has(jobId)) throw new Error(`job '${jobId}' is already running`);
    const controller = new AbortController();
    this.running.set(jobId, controller);
    let last = 0;
    const progress: ProgressFn = (p: Progress) => {
      if (controller.signal.aborted) throw new CancelledError(`job '${jobId}' was cancelled`);
      // Throttled so a fast loop cannot flood the renderer; the final tick always goes through.
      const now = Date.now();
      if (now - last < 50 && p.done < p.total) return;
      last = now;
      for (const l of this.listeners) l({ jobId, progress: p });
    };
    try {
      return await fn(progress, controller.signal);
    } finally {
      this.running.delete(jobId);
    }
  }

  cancel(jobId: string): boolean {
    const c = this.running.get(jobId);
    if (!c) return false;
    c.abort();
    return true;
  }
}
