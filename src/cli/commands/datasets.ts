import type { Command } from '../command.ts';
import { openDb } from '../../main/db/connection.ts';
import { listDatasets } from '../../main/db/queries/datasets.ts';
import { requireString } from '../options.ts';

export const datasetsCommand: Command = {
  name: 'datasets',
  summary: 'list the datasets in a database',
  usage: 'shotcast datasets --db PATH [--json]',
  options: { db: { type: 'string' } },
  async run(ctx) {
    const db = openDb(requireString(ctx.values, 'db'));
    try {
      const datasets = listDatasets(db);
      if (datasets.length === 0) ctx.log('no datasets');
      for (const d of datasets) {
        ctx.log(
          `${d.name}  ${d.city} (${d.tz})  ${d.events} events (${d.duplicates} duplicates), ${d.rejects} rejects, ${d.from ?? '-'} .. ${d.to ?? '-'}`,
        );
      }
      return { datasets };
    } finally {
      db.close();
    }
  },
};
