import type { Command } from '../command.ts';
import { openDb } from '../../main/db/connection.ts';
import { trainJob } from '../../main/train/jobs.ts';
import { optionalDate, optionalString, requireString } from '../options.ts';
import { UsageError } from '../../main/util/errors.ts';
import { GRID_OPTIONS, gridOptionsFrom, stepFrom } from './grid.ts';

export const trainCommand: Command = {
  name: 'train',
  summary: 'train a convlstm on a date split, export it as .onnx and record it in the model registry',
  usage:
    'shotcast train --db PATH --dataset NAME [--bbox s,w,n,e | --boundary FILE] (--rows R --cols C | --cell METRES) [--step day] ' +
    '--model convlstm[:params] --train-to YYYY-MM-DD --val-to YYYY-MM-DD [--out model.onnx] [--resume] [--json]',
  options: {
    db: { type: 'string' },
    dataset: { type: 'string' },
    ...GRID_OPTIONS,
    model: { type: 'string' },
    'train-to': { type: 'string' },
    'val-to': { type: 'string' },
    out: { type: 'string' },
    resume: { type: 'boolean' },
  },
  async run(ctx) {
    const v = ctx.values;
    const trainTo = optionalDate(v, 'train-to');
    const valTo = optionalDate(v, 'val-to');
    if (!trainTo || !valTo) throw new UsageError('--train-to and --val-to are required (YYYY-MM-DD)');
    const job = {
      dataset: requireString(v, 'dataset'),
      grid: gridOptionsFrom(v),
      step: stepFrom(v),
      model: requireString(v, 'model'),
      trainTo,
      valTo,
      out: optionalString(v, 'out'),
      resume: v.resume === true,
      progress: ctx.progress,
    };
    const db = openDb(requireString(v, 'db'));
    try {
      const r = await trainJob(db, job);
      const m = r.metrics;
      if (r.resumedFromEpoch !== undefined) ctx.log(`resumed after epoch ${r.resumedFromEpoch}`);
      ctx.log(
        `model ${r.modelId}: ${r.onnx.path}${r.out ? ` (copy in ${r.out})` : ''} (sha256 ${r.onnx.sha256.slice(0, 12)}…), best epoch ${m.bestEpoch} of ${m.epochs}, ` +
          `validation HR@1% ${fmt(m.valHitRate1)} HR@5% ${fmt(m.valHitRate5)} (start ${fmt(m.initialValHitRate5)}), ${fmt(m.seconds, 0)} s`,
      );
      return r;
    } finally {
      db.close();
    }
  },
};

function fmt(x: number | string | undefined, digits = 3): string {
  return typeof x === 'number' ? x.toFixed(digits) : String(x);
}
