import type { Command } from '../command.ts';
import { withWorkstation } from '../../main/app/context.ts';
import { parseSpace } from '../../main/app/parse.ts';
import { DEFAULT_SPACE, tune } from '../../main/app/tune.ts';
import { optionalNumber, optionalString, requireString } from '../options.ts';
import { gridOptionsFrom, SPLIT_OPTIONS, splitFrom, stepFrom } from './grid.ts';

export const tuneCommand: Command = {
  name: 'tune',
  summary:
    'Bayesian optimisation (TPE) of convlstm parameters on validation hit rate at 5%; every trial stored',
  usage:
    'shotcast tune --db PATH --dataset NAME [grid options] [--model convlstm[:base params]] --train-to YYYY-MM-DD --val-to YYYY-MM-DD ' +
    "[--trials 20] [--time-budget SECONDS] [--space 'lr=log:3e-4..3e-3; hidden=intlog:4..32; loss=poisson|bce'] [--study NAME] [--seed 0] [--json]",
  options: {
    ...SPLIT_OPTIONS,
    trials: { type: 'string' },
    'time-budget': { type: 'string' },
    space: { type: 'string' },
    study: { type: 'string' },
    seed: { type: 'string' },
  },
  async run(ctx) {
    const v = ctx.values;
    const { trainTo, valTo } = splitFrom(v);
    const space = parseSpace(optionalString(v, 'space') ?? DEFAULT_SPACE);
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
        },
        {
          progress: ctx.progress,
          trial: (t) =>
            ctx.log(
              `trial ${t.trial}: ${t.status === 'ok' ? `HR@5% ${t.objective?.toFixed(4)}` : `failed (${t.error})`} in ${t.seconds.toFixed(0)} s`,
            ),
        },
      );
      const names = Object.keys(space);
      ctx.log('');
      ctx.log(['trial', 'HR@5%', 'seconds', ...names].join('\t'));
      for (const t of r.trials) {
        ctx.log(
          [
            t.trial,
            t.objective === null ? 'failed' : t.objective.toFixed(4),
            t.seconds.toFixed(0),
            ...names.map((n) => fmt(t.params[n])),
          ].join('\t'),
        );
      }
      if (r.best)
        ctx.log(
          `best: trial ${r.best.trial}, HR@5% ${r.best.objective?.toFixed(4)} (stopped by ${r.stoppedBy} budget)`,
        );
      return r;
    });
  },
};

function fmt(v: unknown): string {
  return typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(3)) : String(v);
}
