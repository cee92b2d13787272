import { useCallback, useMemo } from 'react';
import type { Backend, JobState, TrainSettings } from '../../../shared/contract.ts';
import type { Progress } from '../../../shared/types.ts';
import { useJobs, useJobStore, type AppJob } from './jobs.ts';

export interface Job<T> {
  /** The running job's id, or null when idle. */
  jobId: string | null;
  progress: Progress | null;
  /** The newest job of this kind's answer, once it is done. */
  result: T | null;
  /** Why the newest job of this kind failed; null when it was cancelled or is fine. */
  error: string | null;
  /** The newest job of this kind (running or ended), null before the first. */
  job: AppJob | null;
  state: JobState | null;
  /** Runs `exec` under a fresh job id as an app job; resolves when it ended, however it ended. */
  start: (
    exec: (jobId: string) => Promise<T>,
    /** `train`: a training's settings, kept with the job so that it can be resumed once it ended. */
    opts?: { initial?: Progress; label?: string; train?: TrainSettings },
  ) => Promise<void>;
  cancel: () => void;
}

/**
 * The newest job of one kind (import, training, validation), as a panel shows it. The job belongs to
 * the app's JobStore, not to the panel: a panel that is left and reopened shows the same job, its
 * progress and its Cancel, and a job of this kind started elsewhere shows here too.
 */
export function useJob<T>(_backend: Backend, kind: string): Job<T> {
  const store = useJobStore();
  const { jobs } = useJobs();
  const job = useMemo(() => jobs.find((j) => j.kind === kind) ?? null, [jobs, kind]);
  const running = job?.state === 'running' ? job : null;

  const start = useCallback<Job<T>['start']>(
    async (exec, opts = {}) => {
      await store.start(kind, opts.label ?? kind, exec, opts.initial, opts.train);
    },
    [store, kind],
  );
  const cancel = useCallback(() => {
    if (running) store.cancel(running.id);
  }, [store, running]);

  return {
    jobId: running?.id ?? null,
    progress: running?.progress ?? null,
    result: job?.state === 'done' ? ((job.result as T | null) ?? null) : null,
    error: job?.state === 'failed' ? job.error : null,
    job,
    state: job?.state ?? null,
    start,
    cancel,
  };
}
