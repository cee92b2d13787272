/**
 * The `tune` use case: TPE over the network's parameters on a date split, every trial (failed ones too)
 * stored as it finishes.
 */
import {
  DEFAULT_SPACE,
  TUNE_OBJECTIVES,
  tuneJob,
  type TuneJob,
  type TuneObjective,
  type TuneResult,
} from '../networks/tune-job.ts';
import type { TrialResult } from '../hyperopt/study.ts';
import type { JobHooks, Workstation } from './context.ts';

export { DEFAULT_SPACE, TUNE_OBJECTIVES };
export type { TrialResult, TuneObjective, TuneResult };
export type TuneRequest = Omit<TuneJob, 'progress' | 'onTrial'>;

export function tune(
  ws: Workstation,
  req: TuneRequest,
  hooks: JobHooks & { trial?: (t: TrialResult) => void } = {},
): Promise<TuneResult> {
  return tuneJob(ws.db, { ...req, progress: hooks.progress, onTrial: hooks.trial });
}
