import type { Command } from '../command.ts';
import { withWorkstation } from '../../main/app/context.ts';
import { getRun, importRunFile, listRuns } from '../../main/app/listings.ts';
import { DataError, UsageError } from '../../main/util/errors.ts';
import { optionalNumber, optionalString, requireString } from '../options.ts';

interface RunSummaryModel {
  name: string;
  hitRate: Record<string, number>;
}

export const runsCommand: Command = {
  name: 'runs',
  summary:
    'list stored evaluation runs (or show one with --id); `runs import FILE` stores results kept in a file',
  usage:
    'shotcast runs --db PATH [--dataset NAME] [--id N] [--json] | shotcast runs import FILE --db PATH [--json]',
  options: { db: { type: 'string' }, dataset: { type: 'string' }, id: { type: 'string' } },
  allowPositionals: true,
  async run(ctx) {
    const [action, file, ...extra] = ctx.positionals;
    if (action !== undefined && (action !== 'import' || file === undefined || extra.length)) {
      throw new UsageError('expected `shotcast runs import FILE --db PATH`, or no argument to list the runs');
    }
    return withWorkstation(requireString(ctx.values, 'db'), async ({ db }) => {
      if (action === 'import') {
        const r = await importRunFile(db, file);
        ctx.log(
          r.alreadyStored
            ? `already stored as run ${r.runId} (dataset ${r.dataset})`
            : `stored as run ${r.runId} (dataset ${r.dataset})`,
        );
        return r;
      }
      const id = optionalNumber(ctx.values, 'id', { integer: true, min: 1 });
      if (id !== undefined) {
        const run = getRun(db, id);
        if (!run) throw new DataError(`no evaluation run ${id} in the database`);
        ctx.log(JSON.stringify(run, null, 2));
        return run;
      }
      const runs = listRuns(db, optionalString(ctx.values, 'dataset')).map((r) => {
        const full = getRun(db, r.id);
        const models = ((full?.result as { models?: RunSummaryModel[] })?.models ?? []).map((m) => ({
          name: m.name,
          hitRate: m.hitRate,
        }));
        return { ...r, results: models };
      });
      if (runs.length === 0) ctx.log('no evaluation runs');
      for (const r of runs) {
        const best = [...r.results].sort((a, b) => b.hitRate[5] - a.hitRate[5])[0];
        ctx.log(
          `#${r.id}  ${r.createdAt}  ${r.dataset}  ${r.step} ${r.testFrom}..${r.testTo}  ${r.models.join(',')}` +
            (best ? `  best HR@5% ${best.name} ${best.hitRate[5].toFixed(3)}` : ''),
        );
      }
      return { runs };
    });
  },
};
