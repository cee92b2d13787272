/**
 * bench:evaluate — every classical model on the DC benchmark: MPD 2014–2018, bbox 38.81,-77.05,38.97,-76.90,
 * 36×36 cells, daily steps, test 2018-01-01..2018-09-30, monthly refits, in one walk-forward run.
 * Also times loading the events and building the whole 2014–2018 daily tensor.
 *
 *   npm run bench:evaluate [-- --repeat 5]
 * Prints one JSON object: {"models": {name: seconds}, "totalSeconds", "tensorBuildMs", …}.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openDb, type WritableDb } from '../src/main/db/connection.ts';
import { loadEventColumns } from '../src/main/db/queries/events.ts';
import { runEvaluation } from '../src/main/evaluate/walkforward.ts';
import { walkForwardInWorker } from '../src/main/app/evaluate.ts';
import '../src/main/app/wiring.ts';
import { insertEvents, readMpdNormalized } from '../src/main/evaluate/testing/fixtures.ts';
import { makeGrid } from '../src/main/grid/spec.ts';
import { buildTensor } from '../src/main/grid/tensor.ts';
import { buildTimeline } from '../src/main/grid/time.ts';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const FILE = resolve(ROOT, 'resources/data/dc_mpd_2014-2018_normalized.csv');
const MODELS = 'counts-all,counts-365d,kde:tau=90,sigma=0.5,prospective,sepp,persistence';
const BBOX: [number, number, number, number] = [38.81, -77.05, 38.97, -76.9];

const { values } = parseArgs({ options: { repeat: { type: 'string', default: '5' } } });
const repeat = Math.max(1, Number(values.repeat));

/** Imports the DC file with the real importer when it is there, else writes the rows directly. */
async function load(db: WritableDb): Promise<string> {
  const importer = resolve(ROOT, 'src/main/ingest/import.ts');
  if (existsSync(importer)) {
    const mod = (await import(importer)) as {
      importFile?: (db: WritableDb, file: string, opts: Record<string, unknown>) => Promise<unknown>;
    };
    if (mod.importFile) {
      await mod.importFile(db, FILE, { dataset: 'dc', city: 'Washington DC', tz: 'America/New_York' });
      return 'importFile';
    }
  }
  insertEvents(db, 'dc', 'America/New_York', readMpdNormalized(FILE));
  return 'fixture';
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dir = mkdtempSync(join(tmpdir(), 'shotcast-bench-eval-'));
try {
  const dbPath = join(dir, 'dc.db');
  const db = openDb(dbPath);
  const loader = await load(db);
  const datasetId = (db.prepare(`SELECT id FROM datasets WHERE name = 'dc'`).get() as { id: number }).id;

  const loadMs: number[] = [];
  const buildMs: number[] = [];
  const buildCpuMs: number[] = [];
  let events = 0;
  let steps = 0;
  for (let i = 0; i < repeat; i++) {
    let t = performance.now();
    const cols = loadEventColumns(db, datasetId);
    loadMs.push(performance.now() - t);
    t = performance.now();
    const c0 = process.cpuUsage();
    const grid = makeGrid({ bbox: BBOX, rows: 36, cols: 36 });
    const tl = buildTimeline(
      'America/New_York',
      { unit: 'day' },
      cols.utcMs[0],
      cols.utcMs[cols.length - 1] + 1,
    );
    const tensor = buildTensor(cols, grid, tl);
    buildMs.push(performance.now() - t);
    const c = process.cpuUsage(c0);
    buildCpuMs.push((c.user + c.system) / 1000);
    events = tensor.events;
    steps = tl.steps;
  }

  const options = {
    dataset: 'dc',
    grid: { bbox: BBOX, rows: 36, cols: 36 },
    step: { unit: 'day' as const },
    models: MODELS,
    testFrom: '2018-01-01',
    testTo: '2018-09-30',
  };
  let t = performance.now();
  const cpu0 = process.cpuUsage();
  const { result } = await runEvaluation(db, options);
  const inProcessSeconds = (performance.now() - t) / 1000;
  const cpu = process.cpuUsage(cpu0);
  // The machine may be shared: CPU seconds say what the work costs when wall time is inflated by others.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  db.close();
  t = performance.now();
  await walkForwardInWorker(dbPath, options);
  const workerSeconds = (performance.now() - t) / 1000;

  console.log(
    JSON.stringify({
      dataset: 'DC MPD 2014-2018',
      loader,
      grid: '36x36',
      step: 'day',
      test: result.test,
      tensor: { steps, events, shape: [steps, 3, 36, 36] },
      loadEventsMs: { median: median(loadMs), min: Math.min(...loadMs) },
      tensorBuildMs: { median: median(buildMs), min: Math.min(...buildMs), cpuMedian: median(buildCpuMs) },
      models: Object.fromEntries(result.models.map((m) => [m.name, Number(m.seconds.toFixed(3))])),
      totalSeconds: Number(inProcessSeconds.toFixed(3)),
      totalCpuSeconds: Number(cpuSeconds.toFixed(3)),
      workerTotalSeconds: Number(workerSeconds.toFixed(3)),
      hitRate: Object.fromEntries(result.models.map((m) => [m.name, { 1: m.hitRate[1], 5: m.hitRate[5] }])),
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
