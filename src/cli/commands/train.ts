import type { Command } from '../command.ts';
import { withWorkstation } from '../../main/app/context.ts';
import { train } from '../../main/app/train.ts';
import { parseModelSpec } from '../../main/app/parse.ts';
import { optionalString, requireString } from '../options.ts';
import {
  devianceWords,
  holidayWords,
  keptStartWords,
  refitWords,
  typeWords,
} from '../../shared/training-words.ts';
import { gridOptionsFrom, SPLIT_OPTIONS, splitFrom, stepFrom } from './grid.ts';

export const trainCommand: Command = {
  name: 'train',
  summary: 'train a convlstm on a date split, export it as .onnx and record it in the model registry',
  usage:
    'shotcast train --db PATH --dataset NAME [--bbox s,w,n,e | --boundary FILE] (--rows R --cols C | --cell METRES) [--step day] ' +
    '--model convlstm[:params] --train-to YYYY-MM-DD --val-to YYYY-MM-DD [--out model.onnx] [--resume] [--json]',
  options: { ...SPLIT_OPTIONS, out: { type: 'string' }, resume: { type: 'boolean' } },
  async run(ctx) {
    const v = ctx.values;
    const { trainTo, valTo } = splitFrom(v);
    const { name, params } = parseModelSpec(requireString(v, 'model'));
    const req = {
      dataset: requireString(v, 'dataset'),
      grid: gridOptionsFrom(v),
      step: stepFrom(v),
      model: { name, params },
      trainTo,
      valTo,
      out: optionalString(v, 'out'),
      resume: v.resume === true,
    };
    // The `train` use case: the network trains in a worker thread, and is registered on this handle.
    return withWorkstation(requireString(v, 'db'), async (ws) => {
      const r = await train(ws, req, { progress: ctx.progress });
      const m = r.metrics;
      if (r.resumedFromEpoch !== undefined) ctx.log(`resumed after epoch ${r.resumedFromEpoch}`);
      ctx.log(
        `model ${r.modelId}: ${r.onnx.path}${r.out ? ` (copy in ${r.out})` : ''} (sha256 ${r.onnx.sha256.slice(0, 12)}…), best epoch ${m.bestEpoch} of ${m.epochs}, ` +
          `validation HR@1% ${fmt(m.valHitRate1)} HR@5% ${fmt(m.valHitRate5)} (start ${fmt(m.initialValHitRate5)}), ${fmt(m.seconds, 0)} s`,
      );
      const preset = typeof r.params.preset === 'string' ? r.params.preset : 'default';
      for (const line of [
        devianceWords(m),
        keptStartWords(m, preset),
        refitWords(m),
        typeWords(m),
        holidayWords(m),
      ])
        if (line) ctx.log(line);
      return r;
    });
  },
};

function fmt(x: number | string | undefined, digits = 3): string {
  return typeof x === 'number' ? x.toFixed(digits) : String(x);
}
