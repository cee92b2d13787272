// Run by test/packaging/bundle.test.ts under plain Node (no tsx, no loader flags): drives the built
// core bundle given as argv[2] — imports the DC sample into a new database in argv[3], runs a short
// walk-forward evaluation through the use-case layer (in its worker thread, stored as a run), runs a tiny ONNX graph — and prints what it saw as JSON.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [corePath, dir] = process.argv.slice(2);
let workers = 0;
process.on('worker', () => workers++);

const core = await import(pathToFileURL(corePath).href);
const dbPath = join(dir, 'shotcast.db');
const db = core.openDb(dbPath);
const report = await core.importFile(
  db,
  join(core.resourcesDir(), 'data', 'dc_mpd_2014-2018_normalized.csv'),
  { dataset: 'dc-sample', city: 'Washington DC', tz: 'America/New_York', worker: true },
);
const importWorkers = workers;

// Through the use-case layer, as every door calls it: the backtest runs in its worker and is stored.
const { result, runId } = await core.evaluate(
  { db, dbPath },
  {
    dataset: 'dc-sample',
    grid: { rows: 20, cols: 20 },
    step: { unit: 'day' },
    models: 'counts-all,kde',
    testFrom: '2018-06-01',
    testTo: '2018-06-30',
    cadence: 'month',
  },
);
const storedRuns = core.listRuns(db, 'dc-sample').map((r) => r.id);
db.close();

const g = new core.Graph('double');
const x = g.input('x', 'float32', [2]);
g.output(core.op.mul(x, 2), 'y');
const session = await core.createSession(g.toBytes());
const y = (await session.run({ x: core.f32(new Float32Array([1.5, -2]), [2]) })).y;

process.stdout.write(
  JSON.stringify({
    execArgv: process.execArgv,
    resourcesDir: core.resourcesDir(),
    binding: core.sqliteBinding() ?? null,
    imported: report.imported,
    importWorkers,
    workers,
    models: result.models.map((m) => ({ spec: m.spec, hitRate: m.hitRate })),
    testEvents: result.test.events,
    runId,
    storedRuns,
    onnx: Array.from(y.data),
  }),
);
