import type { Command, CommandContext } from '../command.ts';
import { withWorkstation, type WritableDb } from '../../main/app/context.ts';
import { datasets as listDatasets } from '../../main/app/listings.ts';
import {
  deleteDataset,
  holdingsOf,
  renameDataset,
  setDatasetHolidays,
  setDatasetZone,
} from '../../main/app/manage.ts';
import { UsageError } from '../../main/util/errors.ts';
import { requireString } from '../options.ts';

const USAGE =
  'shotcast datasets --db PATH [--json] | --rename OLD NEW | --delete NAME --yes | --set-tz NAME ZONE [--keep-instants] | --set-holidays NAME YYYY-MM-DD,MM-DD,… (or none)';

export const datasetsCommand: Command = {
  name: 'datasets',
  summary:
    'list the datasets in a database; rename one, delete one, change its time zone or set its own holidays',
  usage: USAGE,
  options: {
    db: { type: 'string' },
    rename: { type: 'string' },
    delete: { type: 'string' },
    yes: { type: 'boolean' },
    'set-tz': { type: 'string' },
    'keep-instants': { type: 'boolean' },
    'set-holidays': { type: 'string' },
  },
  allowPositionals: true,
  async run(ctx) {
    const v = ctx.values;
    const actions = (['rename', 'delete', 'set-tz', 'set-holidays'] as const).filter(
      (a) => v[a] !== undefined,
    );
    if (actions.length > 1)
      throw new UsageError(`give one of --${actions.join(', --')} at a time (usage: ${USAGE})`);
    const action = actions[0];
    const want = action === 'rename' || action === 'set-tz' || action === 'set-holidays' ? 1 : 0;
    if (ctx.positionals.length !== want)
      throw new UsageError(
        want
          ? `--${action} takes two values: --${TWO_VALUES[action as keyof typeof TWO_VALUES]}`
          : `unexpected argument '${ctx.positionals[0]}' (usage: ${USAGE})`,
      );
    if (v['keep-instants'] && action !== 'set-tz') throw new UsageError('--keep-instants goes with --set-tz');
    if (v.yes && action !== 'delete') throw new UsageError('--yes goes with --delete');
    return withWorkstation(requireString(v, 'db'), async ({ db }) => {
      const done = action ? await change(db, ctx, action) : {};
      const datasets = listDatasets(db);
      if (!action) {
        if (datasets.length === 0) ctx.log('no datasets');
        for (const d of datasets) {
          ctx.log(
            `${d.name}  ${d.city} (${d.tz})  ${d.events} events (${d.duplicates} duplicates), ${d.rejects} rejects, ${d.from ?? '-'} .. ${d.to ?? '-'}${d.holidays.length > 0 ? `; own holidays ${d.holidays.join(',')}` : ''}`,
          );
        }
      }
      return { ...done, datasets };
    });
  },
};

const TWO_VALUES = {
  rename: 'rename OLD NEW',
  'set-tz': 'set-tz NAME ZONE',
  'set-holidays': 'set-holidays NAME DATES (YYYY-MM-DD or yearly MM-DD, comma-separated; none to clear)',
};

async function change(
  db: WritableDb,
  ctx: CommandContext,
  action: 'rename' | 'delete' | 'set-tz' | 'set-holidays',
): Promise<object> {
  const v = ctx.values;
  if (action === 'set-holidays') {
    const text = ctx.positionals[0].trim();
    const set = await setDatasetHolidays(db, requireString(v, 'set-holidays'), text === 'none' ? '' : text);
    const words = (l: string[]) => (l.length > 0 ? l.join(',') : 'none');
    ctx.log(
      `dataset '${set.name}' has its own holidays ${words(set.to)} (was ${words(set.from)}), besides the built-in ones (July 3rd–5th, New Year's Eve and Day, the fireworks windows)`,
    );
    if ((set.runs || set.models) && set.from.join() !== set.to.join())
      ctx.log(
        `its ${set.runs} evaluation runs and ${set.models} models were made with the old dates; forecasts use the new ones from now on, re-run an evaluation to score with them`,
      );
    return { holidays: set };
  }
  if (action === 'rename') {
    const renamed = await renameDataset(db, requireString(v, 'rename'), ctx.positionals[0]);
    ctx.log(`renamed dataset '${renamed.from}' to '${renamed.to}'`);
    return { renamed };
  }
  if (action === 'delete') {
    const name = requireString(v, 'delete');
    if (v.yes !== true) {
      const h = holdingsOf(db, name);
      throw new UsageError(
        `deleting '${name}' removes its ${h.events} events, ${h.rejects} rejects, ${h.runs} evaluation runs and ${h.models} models with their files; add --yes to confirm`,
      );
    }
    const deleted = await deleteDataset(db, name);
    const h = deleted.deleted;
    ctx.log(
      `deleted dataset '${deleted.name}': ${h.events} events, ${h.rejects} rejects, ${h.imports} imports, ${h.runs} evaluation runs, ${h.models} models (${deleted.files.length} files removed)`,
    );
    return { deleted };
  }
  const zone = await setDatasetZone(
    db,
    requireString(v, 'set-tz'),
    ctx.positionals[0],
    v['keep-instants'] === true ? 'instant' : 'wall-clock',
  );
  ctx.log(
    zone.mode === 'wall-clock'
      ? `dataset '${zone.name}' is now in ${zone.to} (was ${zone.from}): the clock times are kept and ${zone.changed} of ${zone.events} instants moved${zone.dstGapShifted ? `; ${zone.dstGapShifted} clock times in the new zone's spring-forward gap moved forward by it` : ''}`
      : `dataset '${zone.name}' is now in ${zone.to} (was ${zone.from}): the instants are kept and ${zone.changed} of ${zone.events} local times changed`,
  );
  if (zone.runs || zone.models)
    ctx.log(
      `its ${zone.runs} evaluation runs and ${zone.models} models were made with the old zone's days; re-run them to use the new one`,
    );
  return { zone };
}
