/**
 * `shotcast tune`: TPE over the convlstm's parameters with trial and time budgets. Each trial trains
 * on the split (train to --train-to, validate to --val-to) and scores validation hit rate at 5 %;
 * every trial, failed ones included, is stored in the database as it finishes.
 */
import type { WritableDb } from '../db/connection.ts';
import { insertTrial, listTrials } from '../db/queries/models.ts';
import type { GridOptions, StepSpec } from '../grid/types.ts';
import { ConvLstmForecaster } from '../forecast/neural/convlstm.ts';
import { parseConfig } from '../forecast/neural/config.ts';
import { parseModelSpec } from '../forecast/registry.ts';
import { runStudy, type TrialResult } from '../hyperopt/study.ts';
import type { Params, Space } from '../hyperopt/space.ts';
import type { ProgressFn } from '../../shared/types.ts';
import { DataError, UsageError } from '../util/errors.ts';
import { loadHistory } from '../history/load.ts';

/** A search space over the parameters, sized for a 2-core machine. */
export const DEFAULT_SPACE =
  'lags=int:3..14; hidden=intlog:4..32; layers=int:1..2; kernel=3|5; posWeight=log:1..100; lr=log:3e-4..3e-3; ' +
  'loss=poisson|multinomial|bce; calendar=0|1; taus=90|30/90/365|90/365; windows=none|28/365|7/28/91/365';

export interface TuneJob {
  dataset: string;
  grid: GridOptions;
  step: StepSpec;
  /** Base params, e.g. `convlstm:epochs=5`; trial params override them. */
  model: string;
  space: Space;
  trainTo: string;
  valTo: string;
  trials: number;
  timeBudgetSeconds?: number;
  study: string;
  seed: number;
  progress?: ProgressFn;
  onTrial?: (t: TrialResult) => void;
}

export interface TuneResult {
  study: string;
  trials: TrialResult[];
  best: TrialResult | undefined;
  stoppedBy: 'trials' | 'time';
}

export async function tuneJob(db: WritableDb, job: TuneJob): Promise<TuneResult> {
  const base = parseModelSpec(job.model);
  if (base.name !== 'convlstm') throw new UsageError(`--model must be convlstm[:params], got '${base.name}'`);
  parseConfig(base.params);
  if (listTrials(db, job.study).length > 0)
    throw new UsageError(
      `study '${job.study}' already has trials in this database; pick another --study name`,
    );
  const hist = loadHistory(db, job.dataset, { grid: job.grid, step: job.step, end: job.valTo });
  const valFrom = hist.indexOf(job.trainTo);
  const valSteps = hist.timeline.steps - valFrom;
  if (valSteps < 1 || valFrom < 16)
    throw new DataError(`the split ${job.trainTo} / ${job.valTo} leaves too little data`);
  const view = hist.view();
  const result = await runStudy({
    space: job.space,
    seed: job.seed,
    trials: job.trials,
    timeBudgetSeconds: job.timeBudgetSeconds,
    objective: async (params: Params, trial: number) => {
      const merged: Record<string, string> = { ...base.params };
      for (const [k, v] of Object.entries(params))
        merged[k] = typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
      const config = { ...parseConfig(merged), valSteps };
      const model = new ConvLstmForecaster(config);
      try {
        await model.fit(view, {
          progress:
            job.progress && ((p) => job.progress?.({ ...p, job: `trial ${trial + 1}/${job.trials}` })),
        });
        return model.lastOutcome?.valHitRate5 ?? NaN;
      } finally {
        await model.dispose();
      }
    },
    onTrial: (t) => {
      insertTrial(db, {
        study: job.study,
        trial: t.trial,
        datasetId: hist.dataset.id,
        params: t.params,
        objective: t.objective,
        seconds: t.seconds,
        status: t.status,
      });
      job.onTrial?.(t);
    },
  });
  return { study: job.study, ...result };
}
