import type { Command } from '../command.ts';
import { withWorkstation } from '../../main/app/context.ts';
import { datasets as listDatasets } from '../../main/app/listings.ts';
import { requireString } from '../options.ts';

export const datasetsCommand: Command = {
  name: 'datasets',
  summary: 'list the datasets in a database',
  usage: 'shotcast datasets --db PATH [--json]',
  options: { db: { type: 'string' } },
  async run(ctx) {
    return withWorkstation(requireString(ctx.values, 'db'), ({ db }) => {
      const datasets = listDatasets(db);
      if (datasets.length === 0) ctx.log('no datasets');
      for (const d of datasets) {
        ctx.log(
          `${d.name}  ${d.city} (${d.tz})  ${d.events} events (${d.duplicates} duplicates), ${d.rejects} rejects, ${d.from ?? '-'} .. ${d.to ?? '-'}`,
        );
      }
      return { datasets };
    });
  },
};
