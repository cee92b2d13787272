/**
 * The DC benchmark end to end through the CLI, re-scored independently: the daily counts come straight
 * from the CSV (local dates as written, cells by the grid formula), the forecasts from the .npy files.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DC_SAMPLE, REPO_ROOT } from '../../../test/paths.ts';
import { runCli } from '../../cli/run.ts';
import { openDb, type WritableDb } from '../db/connection.ts';
import { forecastAt } from '../forecast/forecast-at.ts';
import { insertEvents, readMpdNormalized } from './testing/fixtures.ts';
// Every forecaster and step scorer, registered as the app's composition root does.
import '../app/wiring.ts';

const FILE = DC_SAMPLE;
const BBOX = [38.81, -77.05, 38.97, -76.9];
const GRID = ['--bbox', BBOX.join(','), '--rows', '36', '--cols', '36', '--step', 'day'];

let dir = '';
let dbPath = '';

/** The real importer once it is in the tree; until then the rows written directly. */
async function load(db: WritableDb): Promise<void> {
  const importer = resolve(REPO_ROOT, 'src/main/ingest/import.ts');
  if (existsSync(importer)) {
    const mod = (await import(importer)) as {
      importFile?: (db: WritableDb, file: string, opts: Record<string, unknown>) => Promise<unknown>;
    };
    if (mod.importFile) {
      await mod.importFile(db, FILE, { dataset: 'dc', city: 'Washington DC', tz: 'America/New_York' });
      return;
    }
  }
  insertEvents(db, 'dc', 'America/New_York', readMpdNormalized(FILE));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shotcast-dc-'));
  dbPath = join(dir, 'dc.db');
  const db = openDb(dbPath);
  await load(db);
  db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; json: unknown }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    const code = await runCli(args);
    return { code, json: out.trim() ? JSON.parse(out.trim().split('\n').pop()!) : undefined };
  } finally {
    spy.mockRestore();
  }
}

/** Distinct events per (local date, cell) straight from the CSV: duplicates are same type, second and place. */
function directDaily(): Map<string, number[]> {
  const byDay = new Map<string, number[]>();
  const seen = new Set<string>();
  const [s, w, n, e] = BBOX;
  for (const line of readFileSync(FILE, 'utf8').split('\n').slice(1)) {
    if (!line) continue;
    const [, type, dt, , latS, lonS] = line.split(',');
    const key = `${type}|${dt}|${latS}|${lonS}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const lat = Number(latS);
    const lon = Number(lonS);
    const row = Math.min(35, Math.floor(((n - lat) / (n - s)) * 36));
    const col = Math.min(35, Math.floor(((lon - w) / (e - w)) * 36));
    const day = dt.slice(0, 10);
    if (!byDay.has(day)) byDay.set(day, new Array(1296).fill(0));
    byDay.get(day)![row * 36 + col]++;
  }
  return byDay;
}

function readNpy(file: string): { shape: number[]; data: Float32Array } {
  const buf = readFileSync(file);
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]));
  const hlen = buf.readUInt16LE(8);
  const header = buf.subarray(10, 10 + hlen).toString('latin1');
  expect((10 + hlen) % 64).toBe(0);
  expect(header).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(\d+, \d+, \d+\), \} *\n$/);
  const shape = /\((\d+), (\d+), (\d+)\)/.exec(header)!.slice(1).map(Number);
  const body = buf.subarray(10 + hlen);
  const data = new Float32Array(body.length / 4);
  for (let i = 0; i < data.length; i++) data[i] = body.readFloatLE(i * 4);
  return { shape, data };
}

describe('DC MPD 2014–2018', () => {
  it('grids the whole file: 1,735 local days, every distinct event inside the benchmark bbox', async () => {
    const { code, json } = await cli(['grid', '--db', dbPath, '--dataset', 'dc', ...GRID, '--json']);
    expect(code).toBe(0);
    expect(json).toMatchObject({
      grid: { rows: 36, cols: 36, bbox: BBOX },
      step: 'day',
      steps: 1735,
      from: '2014-01-01T00:00:00-05:00',
      to: '2018-10-02T00:00:00-04:00',
      tensorShape: [1735, 3, 36, 36],
      // 31,787 rows less the 196 cross-network duplicates (data README).
      events: 31591,
      eventsOutsideGrid: 0,
    });
    const g = json as { grid: { cellMeters: number[] } };
    expect(g.grid.cellMeters[0]).toBeCloseTo(493.4, 0);
    expect(g.grid.cellMeters[1]).toBeCloseTo(361.5, 0);
  });

  it('evaluate --forecasts writes .npy grids that re-score to the reported hit rates; the run is stored', async () => {
    const fc = join(dir, 'fc');
    const args = ['evaluate', '--db', dbPath, '--dataset', 'dc', ...GRID];
    const rest = [
      '--models',
      'counts-365d,kde:tau=90,sigma=0.5',
      '--test-from',
      '2018-01-01',
      '--test-to',
      '2018-03-31',
    ];
    const { code, json } = await cli([...args, ...rest, '--forecasts', fc, '--json']);
    expect(code).toBe(0);
    const r = json as {
      studyCells: number;
      test: { steps: number; events: number };
      models: { name: string; hitRate: Record<string, number>; vsBest: Record<string, { diff: number }> }[];
      oracle: { hitRate: Record<string, number> };
      runId: number;
    };
    expect(r.models.map((m) => m.name)).toEqual(['counts-365d', 'kde']);
    const index = JSON.parse(readFileSync(join(fc, 'index.json'), 'utf8'));
    expect(index.steps.length).toBe(90);
    expect(index.steps[0]).toBe('2018-01-01T00:00:00-05:00');
    expect(index.steps[89]).toBe('2018-03-31T00:00:00-04:00');
    expect([index.rows, index.cols, index.bbox]).toEqual([36, 36, BBOX]);

    // Independent re-scoring.
    const daily = directDaily();
    const study: number[] = [];
    for (let c = 0; c < 1296; c++) {
      const before = [...daily].some(([d, counts]) => d < '2018-01-01' && counts[c] > 0);
      if (before) study.push(c);
    }
    expect(index.studyMask.reduce((a: number, b: number) => a + b, 0)).toBe(study.length);
    expect(r.studyCells).toBe(study.length);
    for (const m of r.models) {
      const { shape, data } = readNpy(join(fc, `${m.name}.npy`));
      expect(shape).toEqual([90, 36, 36]);
      let events = 0;
      const hits: Record<number, number> = { 1: 0, 5: 0 };
      index.steps.forEach((iso: string, t: number) => {
        const actual = daily.get(iso.slice(0, 10)) ?? new Array(1296).fill(0);
        const risk = data.subarray(t * 1296, (t + 1) * 1296);
        const order = [...study].sort((a, b) => risk[b] - risk[a] || a - b);
        for (const c of study) events += actual[c];
        for (const cov of [1, 5]) {
          const k = Math.floor((study.length * cov) / 100);
          for (let i = 0; i < k; i++) hits[cov] += actual[order[i]];
        }
      });
      expect(r.test.events).toBe(events);
      expect(m.hitRate[1]).toBeCloseTo(hits[1] / events, 12);
      expect(m.hitRate[5]).toBeCloseTo(hits[5] / events, 12);
    }
    expect(r.oracle.hitRate[1]).toBeGreaterThan(r.models[0].hitRate[1]);

    // Same numbers on a second run; both runs are stored.
    const again = await cli([...args, ...rest, '--json']);
    const strip = (x: unknown) =>
      JSON.stringify(x, (k, v) => (k === 'seconds' || k === 'runId' ? undefined : (v as unknown)));
    expect(strip(again.json)).toBe(strip(json));
    const runs = await cli(['runs', '--db', dbPath, '--json']);
    const list = (
      runs.json as { runs: { id: number; models: string[]; testFrom: string; datasetHash: string }[] }
    ).runs;
    expect(list.length).toBe(2);
    expect(list[1]).toMatchObject({ id: r.runId, models: ['counts-365d', 'kde'], testFrom: '2018-01-01' });
    expect(list[0].datasetHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('forecastAt forecasts a step from the history before it (persistence = the previous local day)', async () => {
    const db = openDb(dbPath, { readonly: true });
    const f = await forecastAt(db, {
      dataset: 'dc',
      grid: { bbox: [38.81, -77.05, 38.97, -76.9], rows: 36, cols: 36 },
      step: { unit: 'day' },
      at: '2018-01-01',
      model: 'persistence',
    });
    db.close();
    expect([f.stepStart, f.stepEnd]).toEqual(['2018-01-01T00:00:00-05:00', '2018-01-02T00:00:00-05:00']);
    const prev = directDaily().get('2017-12-31')!;
    expect(Array.from(f.risk)).toEqual(prev);
    expect(f.model).toEqual({ name: 'persistence', params: {} });
    expect(f.studyMask.length).toBe(1296);
  });

  it('reports usage and data errors in one line with the right exit code', async () => {
    const err: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
      err.push(String(c));
      return true;
    });
    try {
      const base = [
        'evaluate',
        '--db',
        dbPath,
        ...GRID,
        '--test-from',
        '2018-01-01',
        '--test-to',
        '2018-01-31',
      ];
      expect(await runCli([...base, '--dataset', 'nope'])).toBe(1);
      expect(await runCli([...base, '--dataset', 'dc', '--models', 'kde:tau=x'])).toBe(2);
      expect(await runCli([...base, '--dataset', 'dc', '--cadence', 'daily'])).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(err).toEqual([
      "shotcast evaluate: no dataset named 'nope' in the database (see 'shotcast datasets')\n",
      "shotcast evaluate: kde: tau must be a number, got 'x'\n",
      "shotcast evaluate: --cadence must be step, week or month, got 'daily'\n",
    ]);
  });
});
