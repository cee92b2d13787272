/**
 * bench:scale — memory and time of a walk-forward evaluation as the grid, the step and the number of
 * events grow (issue #19). Each run is a child process (its peak RSS is the child's own maxRSS), on
 * the DC sample or on a generated city: hot spots plus a uniform background, events spread evenly
 * over the years, so the counts are realistic in shape whatever the size.
 *
 *   npm run bench:scale                      # the table (DC 288² daily, DC 36² hourly, Chicago-scale)
 *   npm run bench:scale -- --quick           # small runs only (a smoke test of the harness)
 *   npm run bench:scale -- --train           # convlstm training at 144² daily: 5 years vs the last 2
 *   npm run bench:scale -- --city generated --events 100000 --rows 72 --step hour \
 *       --years 2015-2019 --models counts-365d,kde --test-from 2019-10-01 --test-to 2019-12-31
 *
 * Prints one JSON line per run: {name, data, grid, step, events, steps, cells, cellSteps, models,
 * seconds, peakRssMB, bytesPerCellStep, historyBytes, hitRate5}; bytesPerCellStep is peak RSS over
 * cell-steps of history (what the dense tensor paid about 45–50 of).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { mulberry32 } from '../src/shared/random.ts';
import type { StepUnit } from '../src/shared/types.ts';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const DC_FILE = resolve(ROOT, 'resources/data/dc_mpd_2014-2018_normalized.csv');
const DC_BBOX: [number, number, number, number] = [38.81, -77.05, 38.97, -76.9];

export interface ScaleRun {
  name: string;
  /** An evaluation (default) or a convlstm training run (`train`: --models is ignored). */
  kind?: 'evaluate' | 'train';
  data: 'dc' | 'generated';
  /** Generated city: events, years (inclusive), and its bounding box's cells of about 150 m. */
  events?: number;
  fromYear?: number;
  toYear?: number;
  rows: number;
  cols: number;
  step: StepUnit;
  models: string;
  testFrom: string;
  testTo: string;
}

/**
 * A convlstm training run at 144×144 daily on the DC sample, all of 2014–2018 or its last two years
 * only: the peak RSS should not depend on the history's length (batches are built on demand).
 * Small and time-capped (one epoch at most, 60 s of steps, 30 validation steps): what counts is the
 * memory of a training step, which is the same whatever the network's progress.
 */
const TRAIN_RUNS: ScaleRun[] = [
  {
    name: 'train-144-day-5y',
    kind: 'train',
    data: 'dc',
    rows: 144,
    cols: 144,
    step: 'day',
    models: 'convlstm',
    testFrom: '2019-01-01',
    testTo: '2019-01-01',
  },
  {
    name: 'train-144-day-2y',
    kind: 'train',
    data: 'dc',
    fromYear: 2017,
    rows: 144,
    cols: 144,
    step: 'day',
    models: 'convlstm',
    testFrom: '2019-01-01',
    testTo: '2019-01-01',
  },
];

/** The table. */
const DEFAULT_RUNS: ScaleRun[] = [
  {
    name: 'dc-288-day',
    data: 'dc',
    rows: 288,
    cols: 288,
    step: 'day',
    models: 'counts-365d,kde,sepp',
    testFrom: '2018-01-01',
    testTo: '2018-09-30',
  },
  {
    name: 'dc-36-hour',
    data: 'dc',
    rows: 36,
    cols: 36,
    step: 'hour',
    models: 'counts-365d,kde,sepp',
    testFrom: '2018-01-01',
    testTo: '2018-09-30',
  },
  {
    name: 'chicago-160-hour',
    data: 'generated',
    events: 250_000,
    fromYear: 2015,
    toYear: 2019,
    rows: 160,
    cols: 160,
    step: 'hour',
    models: 'counts-365d,kde',
    testFrom: '2019-10-01',
    testTo: '2019-12-31',
  },
];

const QUICK_RUNS: ScaleRun[] = [
  { ...DEFAULT_RUNS[0], name: 'dc-36-day', rows: 36, cols: 36, testFrom: '2018-09-01' },
  {
    ...DEFAULT_RUNS[2],
    name: 'generated-36-day',
    events: 20_000,
    rows: 36,
    cols: 36,
    step: 'day',
    testFrom: '2019-12-01',
  },
];

/** A generated city's bounding box: rows × cols cells of about 150 m around Chicago's latitude. */
function cityBBox(rows: number, cols: number): [number, number, number, number] {
  const lat0 = 41.7;
  const lon0 = -87.8;
  const dLat = (rows * 150) / 111_320;
  const dLon = (cols * 150) / (111_320 * Math.cos((lat0 * Math.PI) / 180));
  return [lat0, lon0, lat0 + dLat, lon0 + dLon];
}

function bboxOf(run: ScaleRun): [number, number, number, number] {
  return run.data === 'dc' ? DC_BBOX : cityBBox(run.rows, run.cols);
}

/** Writes the run's dataset into a new database file; returns its path. */
async function makeDb(run: ScaleRun, dir: string): Promise<string> {
  const { openDb } = await import('../src/main/db/connection.ts');
  const { insertEvents, readMpdNormalized } = await import('../src/main/evaluate/testing/fixtures.ts');
  const path = join(dir, `${run.name}.db`);
  const db = openDb(path);
  if (run.data === 'dc') {
    const from = run.fromYear ? Date.UTC(run.fromYear, 0, 1, 5) : -Infinity;
    const all = readMpdNormalized(DC_FILE);
    // Duplicate links index into the list: keep them only when their original stays.
    const keep = all.map((e) => e.utcMs >= from);
    const index = new Map<number, number>();
    const kept = all.flatMap((e, i) => {
      if (!keep[i]) return [];
      index.set(i, index.size);
      const dup = e.duplicateOf !== undefined ? index.get(e.duplicateOf) : undefined;
      return [{ ...e, duplicateOf: dup }];
    });
    insertEvents(db, 'city', 'America/New_York', kept);
  } else {
    const [s, w, n, e] = bboxOf(run);
    const rand = mulberry32(19);
    const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    // 60 hot spots of 1–4 cells' spread take 70 % of the events; the rest fall anywhere.
    const spots = Array.from({ length: 60 }, () => ({
      lat: s + (n - s) * (0.1 + 0.8 * rand()),
      lon: w + (e - w) * (0.1 + 0.8 * rand()),
      sd: (1 + 3 * rand()) * ((n - s) / run.rows),
      weight: 0.2 + rand(),
    }));
    const totalWeight = spots.reduce((a, p) => a + p.weight, 0);
    const from = Date.UTC(run.fromYear!, 0, 1, 5);
    const to = Date.UTC(run.toYear! + 1, 0, 1, 5);
    const times = Float64Array.from({ length: run.events! }, () => from + rand() * (to - from)).sort();
    const events = Array.from(times, (utcMs) => {
      let lat: number;
      let lon: number;
      if (rand() < 0.7) {
        let pick = rand() * totalWeight;
        let p = spots[0];
        for (const q of spots) {
          p = q;
          if ((pick -= q.weight) <= 0) break;
        }
        lat = Math.min(n, Math.max(s, p.lat + p.sd * gauss()));
        lon = Math.min(e, Math.max(w, p.lon + p.sd * gauss()));
      } else {
        lat = s + (n - s) * rand();
        lon = w + (e - w) * rand();
      }
      const u = rand();
      const type =
        u < 0.6 ? 'single' : u < 0.85 ? 'multiple' : u < 0.95 ? 'gunshot_or_firecracker' : 'unknown';
      return { utcMs: Math.floor(utcMs), lat, lon, type } as const;
    });
    insertEvents(db, 'city', 'America/Chicago', events);
  }
  db.close();
  return path;
}

/** A training child: a convlstm fit on the whole history, as a training job runs it. */
async function trainChild(run: ScaleRun, dbPath: string): Promise<void> {
  const { openDb } = await import('../src/main/db/connection.ts');
  const { loadHistory } = await import('../src/main/history/load.ts');
  const { createConvLstm } = await import('../src/main/forecast/neural/convlstm.ts');
  const { storeBytes } = await import('../src/main/history/events.ts');
  const db = openDb(dbPath, { readonly: true });
  const t0 = performance.now();
  const h = loadHistory(db, 'city', {
    grid: { bbox: bboxOf(run), rows: run.rows, cols: run.cols },
    step: { unit: run.step },
    end: run.testTo,
  });
  const model = createConvLstm({ epochs: '1', batch: '4', valSteps: '30', maxSeconds: '60', threads: '2' });
  await model.fit(h.view());
  const o = model.lastOutcome!;
  await model.dispose();
  const seconds = (performance.now() - t0) / 1000;
  const peakKB = process.resourceUsage().maxRSS;
  const cells = run.rows * run.cols;
  const steps = h.timeline.steps;
  process.stdout.write(
    JSON.stringify({
      name: run.name,
      kind: 'train',
      data: run.data,
      grid: `${run.rows}x${run.cols}`,
      step: run.step,
      events: h.tensor.events,
      steps,
      cells,
      cellSteps: steps * cells,
      trainSteps: o.trainLosses.length,
      stoppedBy: o.stoppedBy,
      seconds: Math.round(seconds * 10) / 10,
      peakRssMB: Math.round(peakKB / 1024),
      bytesPerCellStep: Math.round(((peakKB * 1024) / (steps * cells)) * 100) / 100,
      historyBytes: storeBytes(h.tensor.store),
    }) + '\n',
  );
  db.close();
}

/** The child: one walk-forward evaluation, then its own numbers on stdout. */
async function child(run: ScaleRun, dbPath: string): Promise<void> {
  if (run.kind === 'train') return trainChild(run, dbPath);
  const { openDb } = await import('../src/main/db/connection.ts');
  const { runEvaluation } = await import('../src/main/evaluate/walkforward.ts');
  const { loadHistory } = await import('../src/main/history/load.ts');
  const { storeBytes } = await import('../src/main/history/events.ts');
  await import('../src/main/app/wiring.ts');
  const db = openDb(dbPath, { readonly: true });
  const t0 = performance.now();
  const { result } = await runEvaluation(db, {
    dataset: 'city',
    grid: { bbox: bboxOf(run), rows: run.rows, cols: run.cols },
    step: { unit: run.step },
    models: run.models,
    testFrom: run.testFrom,
    testTo: run.testTo,
    bootstrap: { samples: 200 },
  });
  const seconds = (performance.now() - t0) / 1000;
  const peakKB = process.resourceUsage().maxRSS;
  // The history's size, from the same loader (after the measurement, so it does not count in it).
  const h = loadHistory(db, 'city', {
    grid: { bbox: bboxOf(run), rows: run.rows, cols: run.cols },
    step: { unit: run.step },
    end: run.testTo,
  });
  const cells = run.rows * run.cols;
  const steps = h.timeline.steps;
  process.stdout.write(
    JSON.stringify({
      name: run.name,
      data: run.data,
      grid: `${run.rows}x${run.cols}`,
      step: run.step,
      events: h.tensor.events,
      steps,
      cells,
      cellSteps: steps * cells,
      models: run.models,
      test: `${run.testFrom}..${run.testTo}`,
      testSteps: result.test.steps,
      seconds: Math.round(seconds * 10) / 10,
      peakRssMB: Math.round(peakKB / 1024),
      bytesPerCellStep: Math.round(((peakKB * 1024) / (steps * cells)) * 100) / 100,
      historyBytes: storeBytes(h.tensor.store),
      hitRate5: Object.fromEntries(result.models.map((m) => [m.name, m.hitRate[5]])),
    }) + '\n',
  );
  db.close();
}

const { values } = parseArgs({
  options: {
    child: { type: 'string' },
    db: { type: 'string' },
    quick: { type: 'boolean', default: false },
    train: { type: 'boolean', default: false },
    only: { type: 'string' },
    city: { type: 'string' },
    events: { type: 'string', default: '250000' },
    rows: { type: 'string', default: '160' },
    cols: { type: 'string' },
    step: { type: 'string', default: 'hour' },
    years: { type: 'string', default: '2015-2019' },
    models: { type: 'string', default: 'counts-365d,kde' },
    'test-from': { type: 'string', default: '2019-10-01' },
    'test-to': { type: 'string', default: '2019-12-31' },
  },
});

if (values.child) {
  await child(JSON.parse(values.child) as ScaleRun, values.db!);
} else {
  let runs = values.quick ? QUICK_RUNS : values.train ? TRAIN_RUNS : DEFAULT_RUNS;
  if (values.city) {
    const [fromYear, toYear] = values.years.split('-').map(Number);
    const rows = Number(values.rows);
    runs = [
      {
        name: `${values.city}-${rows}-${values.step}`,
        data: values.city === 'dc' ? 'dc' : 'generated',
        events: Number(values.events),
        fromYear,
        toYear,
        rows,
        cols: Number(values.cols ?? rows),
        step: values.step as StepUnit,
        models: values.models,
        testFrom: values['test-from'],
        testTo: values['test-to'],
      },
    ];
  }
  if (values.only) runs = runs.filter((r) => values.only!.split(',').includes(r.name));
  const dir = mkdtempSync(join(tmpdir(), 'shotcast-bench-scale-'));
  const tsx = import.meta.resolve('tsx');
  let failed = 0;
  try {
    for (const run of runs) {
      process.stderr.write(`bench:scale: ${run.name} …\n`);
      const dbPath = await makeDb(run, dir);
      const r = spawnSync(
        process.execPath,
        ['--import', tsx, 'bench/scale.ts', '--child', JSON.stringify(run), '--db', dbPath],
        { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 2 ** 20 },
      );
      const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('{'));
      if (r.status !== 0 || !line) {
        failed++;
        process.stdout.write(
          JSON.stringify({ name: run.name, error: `exit ${r.status ?? r.signal}` }) + '\n',
        );
      } else process.stdout.write(line + '\n');
      rmSync(dbPath, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.exitCode = failed ? 1 : 0;
}
