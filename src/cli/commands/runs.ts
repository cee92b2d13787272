import type { Command } from '../command.ts';
import { openDb } from '../../main/db/connection.ts';
import { getRun, listRuns } from '../../main/db/queries/runs.ts';
import { DataError } from '../../main/util/errors.ts';
import { requireDataset } from '../../main/grid/build.ts';
import { optionalNumber, optionalString, requireString } from '../options.ts';

interface RunSummaryModel {
  name: string;
  hitRate: Record<string, number>;
}

export const runsCommand: Command = {
  name: 'runs',
  summary: 'list stored evaluation runs (or show one with --id)',
  usage: 'shotcast runs --db PATH [--dataset NAME] [--id N] [--json]',
  options: { db: { type: 'string' }, dataset: { type: 'string' }, id: { type: 'string' } },
  async run(ctx) {
    const db = openDb(requireString(ctx.values, 'db'));
    try {
      const id = optionalNumber(ctx.values, 'id', { integer: true, min: 1 });
      if (id !== undefined) {
        const run = getRun(db, id);
        if (!run) throw new DataError(`no evaluation run ${id} in the database`);
        ctx.log(JSON.stringify(run, null, 2));
        return run;
      }
      const dataset = optionalString(ctx.values, 'dataset');
      // A mistyped name is an error, not an empty list.
      if (dataset !== undefined) requireDataset(db, dataset);
      const runs = listRuns(db, dataset).map((r) => {
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
    } finally {
      db.close();
    }
  },
};
