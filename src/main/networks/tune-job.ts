/**
 * `shotcast tune`: TPE over the convlstm's parameters with trial and time budgets. Each trial trains
 * on the split (train to --train-to, validate to --val-to) and is scored on the validation days by the
 * deviance early stopping watches (the Poisson deviance of the expected counts per cell and step, at
 * the calibrated level; lower is better), or by hit rate at 5 % when asked. Every trial, failed ones
 * included, is stored in the database as it finishes. The result says when every trial kept its
 * untrained start: the search then compared starting points only and learned nothing about training.
 */
import type { WritableDb } from '../db/connection.ts';
import { insertTrial, listTrials } from '../db/queries/models.ts';
import { writeTransaction } from '../db/write-lock.ts';
import type { GridOptions, StepSpec } from '../grid/types.ts';
import { ConvLstmForecaster } from '../forecast/neural/convlstm.ts';
import { parseConfig } from '../forecast/neural/config.ts';
import { parseModelSpec } from '../forecast/registry.ts';
import { runStudy, type ObjectiveValue, type TrialResult } from '../hyperopt/study.ts';
import { reportedDeviance, type TrainOutcome } from '../forecast/neural/train-loop.ts';
import type { Params, Space } from '../hyperopt/space.ts';
import type { ProgressFn } from '../../shared/types.ts';
import { DataError, UsageError } from '../util/errors.ts';
import { loadHistory } from '../history/load.ts';

/** A search space over the parameters, sized for a 2-core machine. */
export const DEFAULT_SPACE =
  'lags=int:3..14; hidden=intlog:4..32; layers=int:1..2; kernel=3|5; posWeight=log:1..100; lr=log:3e-4..3e-3; ' +
  'loss=poisson|multinomial|bce; calendar=0|1; taus=90|30/90/365|90/365; windows=none|28/365|7/28/91/365';

/** What a trial is scored by: validation deviance (minimised; the default) or HR@5 % (maximised). */
export type TuneObjective = 'deviance' | 'hr5';
export const TUNE_OBJECTIVES: readonly TuneObjective[] = ['deviance', 'hr5'];

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
  /** Default 'deviance'. */
  objective?: TuneObjective;
  progress?: ProgressFn;
  onTrial?: (t: TrialResult) => void;
}

export interface TuneResult {
  study: string;
  /**
   * Each trial's `objective` is what the search maximises: HR@5 %, or minus the validation deviance;
   * its `metrics` give valDeviance, valHitRate5, bestEpoch and keptStart (1 when it kept epoch 0).
   */
  trials: TrialResult[];
  best: TrialResult | undefined;
  stoppedBy: 'trials' | 'time';
  objective: TuneObjective;
  /** True when every finished trial kept its untrained start (best epoch 0). */
  allKeptStart: boolean;
  /** Said when allKeptStart: what that means for the search. */
  note: string | null;
}

/** A finished trial's objective (higher is better) and the figures stored beside it. */
export function trialValue(o: TrainOutcome, objective: TuneObjective): ObjectiveValue {
  // The deviance early stopping compared, at the level the forecasts use.
  const dev = reportedDeviance(o);
  return {
    objective: objective === 'hr5' ? o.valHitRate5 : -dev.valDeviance,
    metrics: {
      ...dev,
      valHitRate5: o.valHitRate5,
      bestEpoch: o.bestEpoch,
      keptStart: o.bestEpoch === 0 ? 1 : 0,
    },
  };
}

/** Whether every finished trial kept its untrained start, and the note that says what that means. */
export function keptStartNote(trials: readonly TrialResult[]): {
  allKeptStart: boolean;
  note: string | null;
} {
  const ok = trials.filter((t) => t.status === 'ok' && t.metrics);
  const all = ok.length > 0 && ok.every((t) => t.metrics?.keptStart === 1);
  return {
    allKeptStart: all,
    note: all
      ? `every trial (${ok.length}) kept its untrained start (best epoch 0): no setting tried improved on the starting point, so the objectives compare starting points, not training; try more epochs, another learning rate or a longer training period`
      : null,
  };
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
  const objective = job.objective ?? 'deviance';
  if (!TUNE_OBJECTIVES.includes(objective))
    throw new UsageError(`--objective must be ${TUNE_OBJECTIVES.join(' or ')}, got '${String(objective)}'`);
  const result = await runStudy({
    space: job.space,
    seed: job.seed,
    trials: job.trials,
    timeBudgetSeconds: job.timeBudgetSeconds,
    objective: async (params: Params, trial: number) => {
      const merged: Record<string, string> = { ...base.params };
      for (const [k, v] of Object.entries(params))
        merged[k] = typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
      // A trial is scored on its validation steps before any refit, so it does not refit (the model
      // `train` makes with the chosen parameters does).
      const config = { ...parseConfig(merged), valSteps, refit: 0 };
      const model = new ConvLstmForecaster(config);
      try {
        await model.fit(view, {
          progress:
            job.progress && ((p) => job.progress?.({ ...p, job: `trial ${trial + 1}/${job.trials}` })),
        });
        const o = model.lastOutcome;
        return o ? trialValue(o, objective) : NaN;
      } finally {
        await model.dispose();
      }
    },
    onTrial: async (t) => {
      // Each trial in a short transaction of its own, the lock awaited without blocking.
      await writeTransaction(db, () =>
        insertTrial(db, {
          study: job.study,
          trial: t.trial,
          datasetId: hist.dataset.id,
          params: t.params,
          objective: t.objective,
          seconds: t.seconds,
          status: t.status,
        }),
      );
      job.onTrial?.(t);
    },
  });
  return { study: job.study, ...result, objective, ...keptStartNote(result.trials) };
}
