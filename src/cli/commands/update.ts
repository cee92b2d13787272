import type { Command } from '../command.ts';
import { withWorkstation } from '../../main/app/context.ts';
import { update } from '../../main/app/update.ts';
import { UsageError } from '../../main/util/errors.ts';
import { optionalNumber, requireString } from '../options.ts';

export const updateCommand: Command = {
  name: 'update',
  summary: 'import new alerts, then fine-tune the latest model from its checkpoint and record a new version',
  usage: 'shotcast update --db PATH --dataset NAME [--epochs N] <new alerts file> [--json]',
  options: { db: { type: 'string' }, dataset: { type: 'string' }, epochs: { type: 'string' } },
  allowPositionals: true,
  async run(ctx) {
    const v = ctx.values;
    if (ctx.positionals.length !== 1)
      throw new UsageError(`give exactly one alerts file (usage: ${this.usage})`);
    const dataset = requireString(v, 'dataset');
    const epochs = optionalNumber(v, 'epochs', { integer: true, min: 1, max: 50 });
    return withWorkstation(requireString(v, 'db'), async (ws) => {
      const out = await update(
        ws,
        { dataset, file: ctx.positionals[0], epochs },
        {
          progress: ctx.progress,
          imported: (r) => ctx.log(`imported ${r.imported} of ${r.rows} rows into '${dataset}'`),
        },
      );
      const r = out.update;
      ctx.log(
        `model ${r.modelId} (from ${r.parentId}): ${r.newSteps} new steps, fine-tuned on ${r.fineTuneSteps}, ` +
          `held-out HR@5% ${r.before.hitRate5.toFixed(3)} → ${r.after.hitRate5.toFixed(3)} ` +
          `(HR@1% ${r.before.hitRate1.toFixed(3)} → ${r.after.hitRate1.toFixed(3)}) over ${r.heldOutSteps} steps, ${r.seconds.toFixed(1)} s`,
      );
      if (r.keptParent)
        ctx.log(
          `the held-out steps preferred model ${r.parentId}'s own weights: model ${r.modelId} keeps them, with data to ${r.dataCutoff}`,
        );
      return out;
    });
  },
};
