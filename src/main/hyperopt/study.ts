import type { Params, Space } from './space.ts';
import { Tpe, type Observation } from './tpe.ts';

export interface TrialResult {
  trial: number;
  params: Params;
  objective: number | null;
  seconds: number;
  status: 'ok' | 'failed';
  error?: string;
  /** What else the objective reported about the trial (e.g. its validation scores and kept epoch). */
  metrics?: Record<string, number>;
}

/** An objective's answer: the value to maximise, alone or with other figures about the trial. */
export type ObjectiveValue = number | { objective: number; metrics: Record<string, number> };

export interface StudyOptions {
  space: Space;
  seed: number;
  /** Stop after this many trials. */
  trials: number;
  /** Do not start a new trial after this many seconds. */
  timeBudgetSeconds?: number;
  startup?: number;
  gamma?: number;
  /** Higher is better. A thrown error marks the trial failed and the study goes on. */
  objective: (params: Params, trial: number) => Promise<ObjectiveValue> | ObjectiveValue;
  /** Awaited before the next trial (it may store the trial). */
  onTrial?: (r: TrialResult) => void | Promise<void>;
  /** Trials already run (e.g. resumed from the database). */
  history?: readonly TrialResult[];
  now?: () => number;
}

export interface StudyResult {
  trials: TrialResult[];
  best: TrialResult | undefined;
  stoppedBy: 'trials' | 'time';
}

/** Runs a TPE study with a trial budget and a time budget. */
export async function runStudy(o: StudyOptions): Promise<StudyResult> {
  const now = o.now ?? (() => performance.now() / 1000);
  const start = now();
  const tpe = new Tpe(o.space, { seed: o.seed, startup: o.startup, gamma: o.gamma });
  const trials: TrialResult[] = [...(o.history ?? [])];
  let stoppedBy: StudyResult['stoppedBy'] = 'trials';
  while (trials.length < o.trials) {
    if (o.timeBudgetSeconds !== undefined && now() - start >= o.timeBudgetSeconds) {
      stoppedBy = 'time';
      break;
    }
    const history: Observation[] = trials.map((t) => ({ params: t.params, objective: t.objective }));
    const params = tpe.suggest(history);
    const t0 = now();
    const trial = trials.length;
    let result: TrialResult;
    try {
      const value = await o.objective(params, trial);
      const objective = typeof value === 'number' ? value : value.objective;
      if (!Number.isFinite(objective)) throw new Error(`objective is not a finite number: ${objective}`);
      result = {
        trial,
        params,
        objective,
        seconds: now() - t0,
        status: 'ok',
        ...(typeof value === 'number' ? {} : { metrics: value.metrics }),
      };
    } catch (e) {
      result = {
        trial,
        params,
        objective: null,
        seconds: now() - t0,
        status: 'failed',
        error: (e as Error).message,
      };
    }
    trials.push(result);
    await o.onTrial?.(result);
  }
  let best: TrialResult | undefined;
  for (const t of trials)
    if (t.objective !== null && (!best || t.objective > (best.objective ?? -Infinity))) best = t;
  return { trials, best, stoppedBy };
}
