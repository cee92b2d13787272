import { useCallback, useState } from 'react';
import type { Backend } from '../../../shared/contract.ts';
import type { Progress } from '../../../shared/types.ts';
import { call, newJobId } from './backend.ts';

export interface Job<T> {
  /** The running job's id, or null when idle. */
  jobId: string | null;
  progress: Progress | null;
  result: T | null;
  error: string | null;
  /** Runs `exec` under a fresh job id, following its progress events until it settles. */
  start: (
    exec: (jobId: string) => Promise<T>,
    opts?: { onProgress?: (p: Progress) => void; initial?: Progress },
  ) => Promise<void>;
  cancel: () => void;
}

/**
 * One long job of a panel (import, training, validation): its id, its progress events, its result or
 * error, and cancel. Every panel that starts a job shares this, so they all clean up the same way.
 */
export function useJob<T>(backend: Backend, kind: string): Job<T> {
  const [jobId, setJobId] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [result, setResult] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);

  const start = useCallback<Job<T>['start']>(
    async (exec, opts = {}) => {
      const id = newJobId(kind);
      setJobId(id);
      setError(null);
      setResult(null);
      setProgress(opts.initial ?? null);
      const off = backend.onProgress((p) => {
        if (p.jobId !== id) return;
        setProgress(p.progress);
        opts.onProgress?.(p.progress);
      });
      try {
        setResult(await exec(id));
      } catch (e) {
        setError((e as Error).message);
      } finally {
        off();
        setJobId(null);
        setProgress(null);
      }
    },
    [backend, kind],
  );

  const cancel = useCallback(() => {
    if (jobId) call(backend, 'jobs.cancel', { jobId }).catch(() => undefined);
  }, [backend, jobId]);

  return { jobId, progress, result, error, start, cancel };
}
