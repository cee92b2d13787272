import type { Command, CommandContext } from '../command.ts';
import { withWorkstation, type WritableDb } from '../../main/app/context.ts';
import { datasets as listDatasets } from '../../main/app/listings.ts';
import { deleteDataset, holdingsOf, renameDataset, setDatasetZone } from '../../main/app/manage.ts';
import { UsageError } from '../../main/util/errors.ts';
import { requireString } from '../options.ts';

const USAGE =
  'shotcast datasets --db PATH [--json] | --rename OLD NEW | --delete NAME --yes | --set-tz NAME ZONE [--keep-instants]';

export const datasetsCommand: Command = {
  name: 'datasets',
  summary: 'list the datasets in a database; rename one, delete one, or change its time zone',
  usage: USAGE,
  options: {
    db: { type: 'string' },
    rename: { type: 'string' },
    delete: { type: 'string' },
    yes: { type: 'boolean' },
    'set-tz': { type: 'string' },
    'keep-instants': { type: 'boolean' },
  },
  allowPositionals: true,
  async run(ctx) {
    const v = ctx.values;
    const actions = (['rename', 'delete', 'set-tz'] as const).filter((a) => v[a] !== undefined);
    if (actions.length > 1)
      throw new UsageError(`give one of --${actions.join(', --')} at a time (usage: ${USAGE})`);
    const action = actions[0];
    const want = action === 'rename' || action === 'set-tz' ? 1 : 0;
    if (ctx.positionals.length !== want)
      throw new UsageError(
        want
          ? `--${action} takes two values: --${action === 'rename' ? 'rename OLD NEW' : 'set-tz NAME ZONE'}`
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
            `${d.name}  ${d.city} (${d.tz})  ${d.events} events (${d.duplicates} duplicates), ${d.rejects} rejects, ${d.from ?? '-'} .. ${d.to ?? '-'}`,
          );
        }
      }
      return { ...done, datasets };
    });
  },
};

async function change(
  db: WritableDb,
  ctx: CommandContext,
  action: 'rename' | 'delete' | 'set-tz',
): Promise<object> {
  const v = ctx.values;
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
