import type { Command } from '../command.ts';
import { openDb } from '../../main/db/connection.ts';
import { importFile } from '../../main/ingest/import.ts';
import { checkUpdatable, updateLatestModel } from '../../main/train/update.ts';
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
    const db = openDb(requireString(v, 'db'));
    try {
      checkUpdatable(db, dataset);
      const imported = await importFile(db, ctx.positionals[0], { dataset }, ctx.progress);
      ctx.log(`imported ${imported.imported} of ${imported.rows} rows into '${dataset}'`);
      const r = await updateLatestModel(db, dataset, { epochs, progress: ctx.progress });
      ctx.log(
        `model ${r.modelId} (from ${r.parentId}): ${r.newSteps} new steps, fine-tuned on ${r.fineTuneSteps}, ` +
          `held-out HR@5% ${r.before.hitRate5.toFixed(3)} → ${r.after.hitRate5.toFixed(3)} ` +
          `(HR@1% ${r.before.hitRate1.toFixed(3)} → ${r.after.hitRate1.toFixed(3)}) over ${r.heldOutSteps} steps, ${r.seconds.toFixed(1)} s`,
      );
      return { import: imported, update: r };
    } finally {
      db.close();
    }
  },
};
