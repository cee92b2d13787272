import { createContext, useContext, useEffect, useSyncExternalStore } from 'react';
import type {
  Backend,
  JobInfo,
  JobProgress,
  JobState,
  TrainResult,
  TrainSettings,
} from '../../../shared/contract.ts';
import type { Progress } from '../../../shared/types.ts';
import { call, newJobId } from './backend.ts';

/** A long job as the app follows it: the backend's JobInfo plus what this window saw of it. */
export interface AppJob extends JobInfo {
  /** The metrics of every progress event this window saw (the Train panel's loss curve), oldest first. */
  points: { done: number; metrics: Record<string, number> }[];
  /** Cancel was pressed and the job has not ended yet. */
  cancelling: boolean;
}

/** A job that ended, announced until the analyst dismisses it. */
export interface JobNotice {
  id: string;
  state: Exclude<JobState, 'running'>;
  text: string;
}

interface Snapshot {
  /** Newest first. */
  jobs: AppJob[];
  notices: JobNotice[];
}

const MAX_POINTS = 4000;
const SYNC_MS = 4000;

/**
 * The app's jobs, held above the panels: a job started in one tab keeps its progress, its Cancel and
 * its result when the analyst switches tabs, and jobs started elsewhere (another window, before a
 * reload) come in through `jobs.list`. Every job that ends is announced.
 */
export class JobStore {
  private readonly jobs = new Map<string, AppJob>();
  private readonly listeners = new Set<() => void>();
  private notices: JobNotice[] = [];
  private snapshot: Snapshot = { jobs: [], notices: [] };
  private syncing: Promise<void> | null = null;
  private again = false;
  /** Jobs this window started: their answer comes back to start(). */
  private readonly started = new Set<string>();

  constructor(private readonly backend: Backend) {}

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getSnapshot = (): Snapshot => this.snapshot;

  /** Follows the backend's progress events and, while jobs run, re-reads the list now and then. */
  connect(): () => void {
    const off = this.backend.onProgress((p) => this.onEvent(p));
    void this.sync();
    const timer = setInterval(() => {
      if (this.snapshot.jobs.some((j) => j.state === 'running')) void this.sync();
    }, SYNC_MS);
    return () => {
      off();
      clearInterval(timer);
    };
  }

  /** Merges the backend's list: new jobs appear, running ones take its state and progress. */
  sync(): Promise<void> {
    // A call already on its way may have left before what prompted this one: read again after it.
    if (this.syncing) {
      this.again = true;
      return this.syncing;
    }
    this.syncing = call(this.backend, 'jobs.list', {})
      .then((list) => {
        for (const info of [...list].reverse()) {
          const mine = this.jobs.get(info.id);
          if (!mine) {
            this.jobs.set(info.id, { ...info, points: [], cancelling: false });
            if (info.state !== 'running' && Date.now() - Date.parse(info.endedAt ?? '') < 60_000)
              this.announce(this.jobs.get(info.id)!);
            continue;
          }
          if (!mine.train && info.train) mine.train = info.train;
          if (mine.state !== 'running' && mine.result === null && info.result !== null) {
            // Ended here before its answer was known (a job this window did not start): say what it produced.
            mine.result = info.result;
            if (mine.state === 'done' && this.notices.some((n) => n.id === mine.id)) this.announce(mine);
          } else if (mine.state === 'running') {
            mine.label = info.label;
            mine.kind = info.kind;
            mine.progress = info.progress ?? mine.progress;
            if (info.state !== 'running') this.end(mine, info.state, info.error, info.result);
          }
        }
        this.emit();
      })
      .catch(() => undefined)
      .finally(() => {
        this.syncing = null;
        if (this.again) {
          this.again = false;
          void this.sync();
        }
      });
    return this.syncing;
  }

  /**
   * Runs `exec` as a job of this kind under a fresh id and follows it. Resolves with its value, or
   * undefined when it was cancelled or failed (the job then says so; nothing is thrown at the panel).
   */
  async start<T>(
    kind: string,
    label: string,
    exec: (jobId: string) => Promise<T>,
    initial?: Progress,
    train?: TrainSettings,
  ): Promise<T | undefined> {
    const id = newJobId(kind);
    const job: AppJob = {
      id,
      kind,
      label,
      state: 'running',
      startedAt: new Date().toISOString(),
      endedAt: null,
      progress: initial ?? null,
      error: null,
      result: null,
      points: [],
      cancelling: false,
      ...(train ? { train } : {}),
    };
    this.jobs.set(id, job);
    this.started.add(id);
    this.emit();
    try {
      const value = await exec(id);
      if (job.state === 'running') this.end(job, 'done', null, value);
      else {
        job.result = value;
        // Announced on the end event, before the answer: say what it produced now.
        if (job.state === 'done' && this.notices.some((n) => n.id === id)) this.announce(job);
      }
      this.emit();
      return value;
    } catch (e) {
      const message = (e as Error).message;
      if (job.state === 'running') {
        const cancelled = job.cancelling || /\bcancel/i.test(message);
        this.end(job, cancelled ? 'cancelled' : 'failed', cancelled ? null : message, null);
      }
      this.emit();
      return undefined;
    }
  }

  cancel(id: string): void {
    const job = this.jobs.get(id);
    if (!job || job.state !== 'running') return;
    job.cancelling = true;
    this.emit();
    call(this.backend, 'jobs.cancel', { jobId: id }).catch(() => undefined);
  }

  /** Whether a job can be resumed: a training that was cancelled or failed, its settings known. */
  resumable(job: AppJob): boolean {
    return job.kind === 'train' && (job.state === 'cancelled' || job.state === 'failed') && !!job.train;
  }

  /**
   * Starts an ended training again with the same settings from its last saved epoch (the run's
   * checkpoint); its notice gives way to the new job's.
   */
  resume(id: string): Promise<TrainResult | undefined> {
    const job = this.jobs.get(id);
    if (!job || !this.resumable(job)) return Promise.resolve(undefined);
    const train = job.train!;
    this.dismiss(id);
    return this.start(
      'train',
      `resume training a ConvLSTM (${train.preset}) on ${train.dataset}, ${train.step} steps, up to ${train.valTo}`,
      (jobId) => call(this.backend, 'train.run', { ...train, jobId, resume: true }),
      undefined,
      train,
    );
  }

  dismiss(id: string): void {
    this.notices = this.notices.filter((n) => n.id !== id);
    this.emit();
  }

  private onEvent(p: JobProgress): void {
    const job = this.jobs.get(p.jobId);
    if (!job) {
      // Started elsewhere (the first-start import, another window): the list says what it is.
      void this.sync();
      return;
    }
    if (job.state !== 'running') return;
    job.progress = p.progress;
    if (p.progress.metrics) {
      job.points.push({ done: p.progress.done, metrics: p.progress.metrics });
      if (job.points.length > MAX_POINTS) job.points.splice(0, job.points.length - MAX_POINTS);
    }
    // The end event comes before the call's answer; the answer (or, for a job started elsewhere, the
    // list) fills in the result.
    if (p.state) {
      this.end(job, p.state, p.error ?? null, null);
      if (!this.started.has(job.id)) void this.sync();
    }
    this.emit();
  }

  private end(job: AppJob, state: Exclude<JobState, 'running'>, error: string | null, result: unknown): void {
    job.state = state;
    job.error = state === 'failed' ? (error ?? 'failed') : null;
    job.result = result ?? job.result;
    job.endedAt = new Date().toISOString();
    job.cancelling = false;
    this.announce(job);
  }

  private announce(job: AppJob): void {
    if (job.state === 'running') return;
    const text =
      job.state === 'done'
        ? `Finished: ${job.label}.${resultWords(job.kind, job.result)}`
        : job.state === 'cancelled'
          ? `Cancelled: ${job.label}.`
          : `Failed: ${job.label}: ${job.error}`;
    this.notices = [
      ...this.notices.filter((n) => n.id !== job.id).slice(-2),
      { id: job.id, state: job.state, text },
    ];
  }

  private emit(): void {
    const jobs = [...this.jobs.values()]
      .map((j) => ({ ...j, points: j.points.slice() }))
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    this.snapshot = { jobs, notices: this.notices };
    for (const l of this.listeners) l();
  }
}

/** What a finished job produced, in a few words (empty when its answer is not known here). */
function resultWords(kind: string, result: unknown): string {
  const r = (result ?? {}) as Record<string, unknown>;
  if (kind === 'train' && typeof r.modelId === 'number')
    return typeof r.resumedFromEpoch === 'number'
      ? ` Resumed from epoch ${r.resumedFromEpoch}; model ${r.modelId} is registered.`
      : ` Model ${r.modelId} is registered.`;
  if (kind === 'finetune' && typeof r.modelId === 'number')
    return ` Model ${r.modelId} is registered, fine-tuned from model ${String(r.parentId)}.`;
  if (kind === 'evaluate' && typeof r.runId === 'number') return ` Stored as run ${r.runId}.`;
  if (kind === 'import' && typeof r.imported === 'number') return ` ${r.imported} events imported.`;
  return '';
}

export const JobsContext = createContext<JobStore | null>(null);

export function useJobStore(): JobStore {
  const store = useContext(JobsContext);
  if (!store) throw new Error('useJobStore: no JobsContext above this component');
  return store;
}

/** The app's jobs and the notices of the ones that ended, re-rendered on every change. */
export function useJobs(): Snapshot {
  const store = useJobStore();
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

/** Connects a store to its backend for as long as the component that owns it is mounted. */
export function useConnectedStore(store: JobStore): void {
  useEffect(() => store.connect(), [store]);
}
