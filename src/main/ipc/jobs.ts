import type { JobInfo, JobProgress, JobState, TrainSettings } from '../../shared/contract.ts';
import type { Progress, ProgressFn } from '../../shared/types.ts';

import { CancelledError } from '../util/errors.ts';
import { inAppLanguage } from './app-language.ts';

export { CancelledError };

/** What a job is, for the app's job list; by default the kind is the job id's prefix (`train-…`). */
export interface JobMeta {
  kind?: string;
  label?: string;
  /** A training job's settings, listed with it so that any tab can resume it once it ended. */
  train?: TrainSettings;
}

/** Ended jobs kept for `jobs.list`, so a tab opened after a job ended still learns how it ended. */
const KEEP_ENDED = 20;

/**
 * Long jobs keyed by the caller's job id: their progress goes to every listener, they can be cancelled,
 * and they are listed (running, and the last few that ended) so that any tab of the app can show them.
 * The last event of a job says how it ended: done, cancelled or failed.
 */
export class Jobs {
  private readonly running = new Map<string, AbortController>();
  private readonly infos = new Map<string, JobInfo>();
  private readonly listeners = new Set<(p: JobProgress) => void>();

  onProgress(listener: (p: JobProgress) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Running jobs first, then the ones that ended, each group newest first. */
  list(): JobInfo[] {
    const all = [...this.infos.values()].reverse();
    return [...all.filter((j) => j.state === 'running'), ...all.filter((j) => j.state !== 'running')];
  }

  async run<T>(
    jobId: string,
    fn: (progress: ProgressFn, signal: AbortSignal) => Promise<T> | T,
    meta: JobMeta = {},
  ): Promise<T> {
    if (this.running.has(jobId)) throw new Error(`job '${jobId}' is already running`);
    const controller = new AbortController();
    this.running.set(jobId, controller);
    const kind = meta.kind ?? jobId.split('-')[0];
    const info: JobInfo = {
      id: jobId,
      kind,
      label: meta.label ?? kind,
      state: 'running',
      startedAt: new Date().toISOString(),
      endedAt: null,
      progress: null,
      error: null,
      result: null,
      ...(meta.train ? { train: meta.train } : {}),
    };
    this.infos.delete(jobId);
    this.infos.set(jobId, info);
    let last = 0;
    const progress: ProgressFn = (p: Progress) => {
      if (controller.signal.aborted) throw new CancelledError(`job '${jobId}' was cancelled`);
      info.progress = p;
      // Throttled so a fast loop cannot flood the renderer; the final tick always goes through.
      const now = Date.now();
      if (now - last < 50 && p.done < p.total) return;
      last = now;
      this.emit({ jobId, progress: p });
    };
    let state: Exclude<JobState, 'running'> = 'failed';
    try {
      const value = await fn(progress, controller.signal);
      state = 'done';
      info.result = value;
      return value;
    } catch (e) {
      // A job stopped by its Cancel button ended as asked, whatever the code below it threw on the way out.
      state = controller.signal.aborted || e instanceof CancelledError ? 'cancelled' : 'failed';
      if (state === 'failed')
        info.error = inAppLanguage((e instanceof Error ? e.message : String(e)).split('\n')[0]);
      throw e;
    } finally {
      this.running.delete(jobId);
      info.state = state;
      info.endedAt = new Date().toISOString();
      const endProgress = info.progress ?? { job: kind, phase: state, done: 0, total: 1 };
      this.emit({ jobId, progress: endProgress, state, ...(info.error ? { error: info.error } : {}) });
      this.prune();
    }
  }

  cancel(jobId: string): boolean {
    const c = this.running.get(jobId);
    if (!c) return false;
    c.abort();
    return true;
  }

  private emit(p: JobProgress): void {
    for (const l of this.listeners) l(p);
  }

  private prune(): void {
    const ended = [...this.infos.values()].filter((j) => j.state !== 'running');
    for (const j of ended.slice(0, Math.max(0, ended.length - KEEP_ENDED))) this.infos.delete(j.id);
  }
}
