import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command, CommandContext } from '../command.ts';
import { LEADERBOARD } from '../../main/app/catalogue.ts';
import { invokeCommand } from '../run.ts';
import { optionalString } from '../options.ts';
import { importCommand } from './import.ts';
import { evaluateCommand } from './evaluate.ts';
import { forecastCommand } from './forecast.ts';
import { trainCommand } from './train.ts';
import { briefCommand } from './brief.ts';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
export const DEMO_SAMPLE = join(REPO, 'resources/data/dc_mpd_2014-2018_normalized.csv');
/** The DC benchmark of the evaluation issue: the sample's extent, 36×36 cells, one step a day. */
const CELLS = ['--bbox', '38.81,-77.05,38.97,-76.90', '--rows', '36', '--cols', '36'];
const GRID = [...CELLS, '--step', 'day'];
/** The classical leaderboard, from the model catalogue. */
const CLASSICAL = LEADERBOARD;

export const demoCommand: Command = {
  name: 'demo',
  summary:
    'the whole job on the built-in DC sample: import, walk-forward evaluation, training, forecast, briefing',
  usage:
    'shotcast demo [--db PATH] [--out DIR] [--test-from YYYY-MM-DD] [--test-to YYYY-MM-DD] [--convlstm PARAMS|none] [--json]',
  options: {
    db: { type: 'string' },
    out: { type: 'string' },
    'test-from': { type: 'string' },
    'test-to': { type: 'string' },
    convlstm: { type: 'string' },
  },
  async run(ctx) {
    const out = resolve(optionalString(ctx.values, 'out') ?? join(REPO, '.shotcast'));
    const db = resolve(optionalString(ctx.values, 'db') ?? join(out, 'demo.sqlite'));
    mkdirSync(dirname(db), { recursive: true });
    mkdirSync(out, { recursive: true });
    const dataset = 'dc-sample';
    const testFrom = optionalString(ctx.values, 'test-from') ?? '2018-01-01';
    const testTo = optionalString(ctx.values, 'test-to') ?? '2018-09-30';
    // A quickly trained network: the default preset, its training capped so the demo stays within minutes.
    const neural = optionalString(ctx.values, 'convlstm') ?? 'convlstm:maxSeconds=120';
    const models = neural === 'none' ? CLASSICAL : `${CLASSICAL},${neural}`;
    const step = (title: string) => ctx.log(`\n== ${title}`);
    const run = (command: Command, args: string[]) => invokeCommand(command, args, subContext(ctx));

    step(`import ${DEMO_SAMPLE}`);
    const imported = await run(importCommand, [
      DEMO_SAMPLE,
      '--db',
      db,
      '--dataset',
      dataset,
      '--city',
      'Washington DC',
      '--tz',
      'America/New_York',
    ]);
    step(`walk-forward evaluation, test ${testFrom} .. ${testTo}`);
    const evaluation = await run(evaluateCommand, [
      '--db',
      db,
      '--dataset',
      dataset,
      ...GRID,
      '--models',
      models,
      '--test-from',
      testFrom,
      '--test-to',
      testTo,
    ]);
    const at = '2018-10-02';
    // The forecast comes from a network trained on everything before the forecast day, the last year
    // held out for early stopping, and recorded in the model registry as `shotcast train` does.
    let trained: unknown = null;
    if (neural !== 'none') {
      const valFrom = '2017-10-02';
      step(`train ${neural} on the sample before ${valFrom}, validate ${valFrom} .. 2018-10-01`);
      trained = await run(trainCommand, [
        '--db',
        db,
        '--dataset',
        dataset,
        ...GRID,
        '--model',
        neural,
        '--train-to',
        valFrom,
        '--val-to',
        at,
        '--out',
        join(out, 'convlstm.onnx'),
      ]);
    }
    step(`forecast for ${at}`);
    const forecast = await run(forecastCommand, [
      '--db',
      db,
      '--dataset',
      dataset,
      ...GRID,
      '--at',
      at,
      '--top',
      '10',
    ]);
    const pdf = join(out, 'briefing.pdf');
    step(`roll-call briefing for ${at}`);
    const briefing = await run(briefCommand, [
      '--db',
      db,
      '--dataset',
      dataset,
      '--at',
      at,
      ...CELLS,
      '--units',
      '5',
      '--out',
      pdf,
    ]);
    ctx.log(`\ndatabase: ${db}\nbriefing: ${pdf}`);
    return { db, briefing: pdf, import: imported, evaluation, train: trained, forecast, brief: briefing };
  },
};

/** Sub-commands log as the demo does, but print no JSON of their own: the demo returns one object. */
function subContext(ctx: CommandContext): Pick<CommandContext, 'json' | 'log' | 'progress'> {
  return { json: false, log: ctx.log, progress: ctx.progress };
}
