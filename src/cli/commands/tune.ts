import type { Command } from '../command.ts';
import { withWorkstation } from '../../main/app/context.ts';
import { parseSpace } from '../../main/app/parse.ts';
import {
  DEFAULT_SPACE,
  TUNE_OBJECTIVES,
  tune,
  type TrialResult,
  type TuneObjective,
} from '../../main/app/tune.ts';
import { UsageError } from '../../main/util/errors.ts';
import { optionalNumber, optionalString, requireString } from '../options.ts';
import { gridOptionsFrom, SPLIT_OPTIONS, splitFrom, stepFrom } from './grid.ts';

export const tuneCommand: Command = {
  name: 'tune',
  summary:
    'Bayesian optimisation (TPE) of convlstm parameters on validation deviance (or hit rate at 5%); every trial stored',
  usage:
    'shotcast tune --db PATH --dataset NAME [grid options] [--model convlstm[:base params]] --train-to YYYY-MM-DD --val-to YYYY-MM-DD ' +
    "[--trials 20] [--time-budget SECONDS] [--space 'lr=log:3e-4..3e-3; hidden=intlog:4..32; loss=poisson|bce'] [--objective deviance|hr5] [--study NAME] [--seed 0] [--json]",
  options: {
    ...SPLIT_OPTIONS,
    trials: { type: 'string' },
    'time-budget': { type: 'string' },
    space: { type: 'string' },
    study: { type: 'string' },
    seed: { type: 'string' },
    objective: { type: 'string' },
  },
  async run(ctx) {
    const v = ctx.values;
    const { trainTo, valTo } = splitFrom(v);
    const space = parseSpace(optionalString(v, 'space') ?? DEFAULT_SPACE);
    const objective = (optionalString(v, 'objective') ?? 'deviance') as TuneObjective;
    if (!TUNE_OBJECTIVES.includes(objective))
      throw new UsageError(`--objective must be ${TUNE_OBJECTIVES.join(' or ')}, got '${objective}'`);
    const label = objective === 'hr5' ? 'HR@5%' : 'deviance';
    /** The trial's score as the analyst reads it: the deviance itself (lower is better), or HR@5 %. */
    const shown = (t: TrialResult): string =>
      t.objective === null ? 'failed' : (objective === 'hr5' ? t.objective : -t.objective).toFixed(4);
    return withWorkstation(requireString(v, 'db'), async (ws) => {
      const r = await tune(
        ws,
        {
          dataset: requireString(v, 'dataset'),
          grid: gridOptionsFrom(v),
          step: stepFrom(v),
          model: optionalString(v, 'model') ?? 'convlstm',
          space,
          trainTo,
          valTo,
          trials: optionalNumber(v, 'trials', { integer: true, min: 1 }) ?? 20,
          timeBudgetSeconds: optionalNumber(v, 'time-budget', { min: 1 }),
          study: optionalString(v, 'study') ?? `tune-${new Date().toISOString().replace(/[:.]/g, '-')}`,
          seed: optionalNumber(v, 'seed', { integer: true }) ?? 0,
          objective,
        },
        {
          progress: ctx.progress,
          trial: (t) =>
            ctx.log(
              `trial ${t.trial}: ${t.status === 'ok' ? `${label} ${shown(t)}${t.metrics?.keptStart === 1 ? ' (kept its untrained start)' : ` (best epoch ${t.metrics?.bestEpoch ?? '?'})`}` : `failed (${t.error})`} in ${t.seconds.toFixed(0)} s`,
            ),
        },
      );
      const names = Object.keys(space);
      ctx.log('');
      ctx.log(['trial', label, 'best epoch', 'seconds', ...names].join('\t'));
      for (const t of r.trials) {
        ctx.log(
          [
            t.trial,
            shown(t),
            t.metrics ? String(t.metrics.bestEpoch) : '-',
            t.seconds.toFixed(0),
            ...names.map((n) => fmt(t.params[n])),
          ].join('\t'),
        );
      }
      if (r.best)
        ctx.log(`best: trial ${r.best.trial}, ${label} ${shown(r.best)} (stopped by ${r.stoppedBy} budget)`);
      if (r.note) ctx.log(`note: ${r.note}`);
      return r;
    });
  },
};

function fmt(v: unknown): string {
  return typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(3)) : String(v);
}
