import { describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHANNELS, schemas, type CatalogueModel, type Channel, type Request } from '../../shared/contract.ts';
import { openDb } from '../db/connection.ts';
import { importFile } from '../ingest/import.ts';
import { createDispatcher, type HandlerMap } from './registry.ts';
import { createHandlers } from './handlers.ts';
import { Jobs } from './jobs.ts';
import { DataError } from '../util/errors.ts';

/** One well-formed request per channel; the type makes the list complete. */
const BRIEFING: Request<'briefing.render'> = {
  dataset: 'dc-sample',
  at: '2018-10-02',
  step: 'day',
  shiftStart: 0,
  units: 5,
  maxCells: 4,
  model: null,
  agency: 'Metropolitan Police Department',
  marking: null,
};

const VALID: { [C in Channel]: Request<C> } = {
  'app.info': {},
  'app.ensureDemo': { jobId: 'demo-1' },
  'datasets.list': {},
  'datasets.import': {
    jobId: 'imp-1',
    fileName: 'alerts.csv',
    contentBase64: Buffer.from('a,b\n1,2\n').toString('base64'),
    dataset: 'oakland',
    city: 'Oakland',
    tz: 'America/Los_Angeles',
    format: 'auto',
  },
  'datasets.preview': {
    fileName: 'alerts.csv',
    contentBase64: Buffer.from('a,b\n1,2\n').toString('base64'),
    format: 'generic',
    map: { lat: 'a', lon: 'b' },
  },
  'datasets.rejects': { dataset: 'dc-sample', limit: 50, offset: 0 },
  'datasets.rename': { dataset: 'dc-sample', to: 'oakland' },
  'datasets.delete': { dataset: 'dc-sample', confirm: true },
  'datasets.setZone': { dataset: 'dc-sample', tz: 'America/Los_Angeles', keep: 'wall-clock' },
  'datasets.setHolidays': { dataset: 'dc-sample', holidays: ['2018-05-28', '11-11'] },
  'events.load': { dataset: 'dc-sample', step: 'day' },
  'events.range': { dataset: 'dc-sample', fromMs: 1_514_782_800_000, toMs: 1_515_387_600_000 },
  'forecast.at': {
    dataset: 'dc-sample',
    step: 'day',
    grid: { rows: 36, cols: 36 },
    at: '2018-10-02',
    model: { kind: 'classical', model: { name: 'kde', params: { tau: '90', sigma: '0.5' } } },
    horizon: 1,
  },
  'evaluate.run': {
    jobId: 'ev-1',
    dataset: 'dc-sample',
    step: 'day',
    grid: { rows: 36, cols: 36, bbox: [38.81, -77.05, 38.97, -76.9] },
    models: ['counts-all', 'kde'],
    testFrom: '2018-01-01',
    testTo: '2018-03-31',
    cadence: 'month',
    folds: 3,
  },
  'jobs.cancel': { jobId: 'ev-1' },
  'jobs.list': {},
  'models.list': { dataset: 'dc-sample' },
  'models.delete': { id: 3 },
  'models.fineTune': { jobId: 'finetune-1', dataset: 'dc-sample', epochs: 2 },
  'runs.list': { dataset: 'dc-sample' },
  'runs.get': { id: 7 },
  'models.catalogue': {},
  'train.status': {},
  'train.run': {
    jobId: 'tr-1',
    dataset: 'dc-sample',
    step: 'day',
    grid: { rows: 36, cols: 36 },
    preset: 'default',
    epochs: 5,
    lr: 0.001,
    trainTo: '2017-01-01',
    valTo: '2017-07-01',
    maxSeconds: 60,
  },
  'layers.info': { dataset: 'dc-sample' },
  'layers.get': { dataset: 'dc-sample', kind: 'roads' },
  'layers.import': {
    dataset: 'dc-sample',
    kind: 'districts',
    fileName: 'beats.geojson',
    contentBase64: Buffer.from('{"type":"FeatureCollection","features":[]}').toString('base64'),
    nameField: 'BEAT',
  },
  'layers.delete': { dataset: 'dc-sample', kind: 'districts' },
  'layers.places': { dataset: 'dc-sample', points: [{ lat: 38.85, lon: -76.99 }] },
  'basemap.tilesInfo': {},
  'briefing.render': BRIEFING,
  'briefing.export': { ...BRIEFING, format: 'geojson' },
};

/** Malformed variants of a valid request: wrong shapes, an unknown key, each field made wrong in turn. */
function malformed(channel: Channel, valid: Record<string, unknown>): { label: string; value: unknown }[] {
  const shape = (
    schemas[channel] as unknown as { shape: Record<string, { safeParse(v: unknown): { success: boolean } }> }
  ).shape;
  const out: { label: string; value: unknown }[] = [
    { label: 'undefined', value: undefined },
    { label: 'null', value: null },
    { label: 'a string', value: 'x' },
    { label: 'an array', value: [valid] },
    { label: 'an unknown key', value: { ...valid, extra: 1 } },
  ];
  for (const key of Object.keys(valid)) {
    out.push({ label: `${key} as an object`, value: { ...valid, [key]: { nested: true } } });
    // An optional field may be left out; every other one may not.
    if (shape[key].safeParse(undefined).success) continue;
    const rest = { ...valid };
    delete rest[key];
    out.push({ label: `${key} missing`, value: rest });
  }
  return out;
}

function spyHandlers(calls: string[]): HandlerMap {
  const map = {} as Record<string, () => unknown>;
  for (const c of CHANNELS) map[c] = () => (calls.push(c), 'called');
  return map as unknown as HandlerMap;
}

describe('IPC dispatcher', () => {
  it('accepts the well-formed request of every channel', async () => {
    const calls: string[] = [];
    const d = createDispatcher([spyHandlers(calls)]);
    for (const c of CHANNELS) {
      const r = await d.dispatch(c, VALID[c]);
      expect(r, c).toEqual({ ok: true, value: 'called' });
    }
    expect(calls).toEqual(CHANNELS);
  });

  it('refuses a malformed argument on every channel before its handler runs', async () => {
    const calls: string[] = [];
    const d = createDispatcher([spyHandlers(calls)]);
    let refused = 0;
    for (const c of CHANNELS) {
      for (const bad of malformed(c, VALID[c] as Record<string, unknown>)) {
        const r = await d.dispatch(c, bad.value);
        expect(r.ok, `${c} with ${bad.label}`).toBe(false);
        if (!r.ok) expect(r.error).toMatch(new RegExp(`^${c.replace('.', '\\.')}: invalid argument`));
        refused++;
      }
    }
    expect(calls).toEqual([]);
    expect(refused).toBeGreaterThan(CHANNELS.length * 5);
  });

  it('refuses values that are well-typed but out of bounds', async () => {
    const d = createDispatcher([spyHandlers([])]);
    const cases: [Channel, unknown][] = [
      ['layers.get', { dataset: 'dc-sample', kind: '../../etc/passwd' }],
      ['layers.places', { dataset: 'dc-sample', points: [{ lat: 91, lon: 0 }] }],
      ['layers.places', { dataset: 'dc-sample', points: [{ lat: 38.85, lon: -181 }] }],
      ['layers.places', { dataset: 'dc-sample', points: [{ lat: NaN, lon: 0 }] }],
      ['layers.places', { dataset: 'dc-sample', points: Array(501).fill({ lat: 38.85, lon: -76.99 }) }],
      ['layers.places', { dataset: 'dc-sample', points: [{ lat: 38.85, lon: -76.99, name: 'x' }] }],
      ['datasets.import', { ...VALID['datasets.import'], fileName: '../../.bashrc' }],
      ['datasets.import', { ...VALID['datasets.import'], contentBase64: 'not base64!' }],
      ['datasets.rejects', { ...VALID['datasets.rejects'], limit: 1e9 }],
      ['datasets.rejects', { ...VALID['datasets.rejects'], offset: -1 }],
      ['datasets.delete', { dataset: 'dc-sample', confirm: false }],
      ['datasets.rename', { dataset: 'dc-sample', to: '' }],
      ['datasets.setZone', { ...VALID['datasets.setZone'], keep: 'both' }],
      ['datasets.setZone', { ...VALID['datasets.setZone'], tz: 'x'.repeat(65) }],
      ['datasets.setHolidays', { dataset: 'dc-sample', holidays: '2018-05-28' }],
      ['datasets.setHolidays', { dataset: 'dc-sample', holidays: ['28/05/2018'] }],
      ['datasets.setHolidays', { dataset: 'dc-sample', holidays: ['2018-05-28,11-11'] }],
      ['datasets.setHolidays', { dataset: 'dc-sample', holidays: Array(401).fill('11-11') }],
      ['forecast.at', { ...VALID['forecast.at'], at: '2018-10-02; DROP TABLE events' }],
      ['forecast.at', { ...VALID['forecast.at'], grid: { rows: 1e6, cols: 36 } }],
      ['forecast.at', { ...VALID['forecast.at'], model: 'kde:tau=90;rm -rf' }],
      ['forecast.at', { ...VALID['forecast.at'], units: 21 }],
      ['forecast.at', { ...VALID['forecast.at'], units: 0 }],
      ['forecast.at', { ...VALID['forecast.at'], units: 2.5 }],
      ['forecast.at', { ...VALID['forecast.at'], units: 3, maxCells: 7 }],
      ['evaluate.run', { ...VALID['evaluate.run'], testFrom: '01/01/2018' }],
      ['events.load', { dataset: 'dc sample', step: 'day' }],
      ['models.delete', { id: 0 }],
      ['models.fineTune', { jobId: 'finetune-1', dataset: 'dc-sample', epochs: 0 }],
      ['models.fineTune', { jobId: 'finetune-1', dataset: 'dc-sample', epochs: 51 }],
      ['models.fineTune', { jobId: 'finetune-1', dataset: '../etc' }],
      ['models.delete', { id: 1.5 }],
      ['runs.get', { id: -1 }],
      ['events.load', { dataset: 'dc-sample', step: 'month' }],
      ['events.range', { ...VALID['events.range'], toMs: VALID['events.range'].fromMs }],
      ['events.range', { ...VALID['events.range'], toMs: VALID['events.range'].fromMs + 400 * 86_400_000 }],
      ['events.range', { ...VALID['events.range'], fromMs: 1.5 }],
      ['briefing.render', { ...VALID['briefing.render'], units: 21 }],
      ['briefing.render', { ...VALID['briefing.render'], units: 2.5 }],
      ['briefing.render', { ...VALID['briefing.render'], maxCells: 7 }],
      ['briefing.render', { ...VALID['briefing.render'], shiftStart: 24 }],
      ['briefing.render', { ...VALID['briefing.render'], step: 'week' }],
      ['briefing.render', { ...VALID['briefing.render'], at: '2018-10-02T08:00' }],
      ['briefing.render', { ...VALID['briefing.render'], agency: 'x'.repeat(501) }],
      ['briefing.render', { ...VALID['briefing.render'], marking: 'x'.repeat(501) }],
      ['briefing.render', { ...VALID['briefing.render'], model: 'kde;rm -rf /' }],
      ['briefing.export', { ...VALID['briefing.export'], format: 'shp' }],
      ['briefing.export', { ...VALID['briefing.export'], units: 21 }],
    ];
    for (const [c, v] of cases) expect((await d.dispatch(c, v)).ok, `${c} ${JSON.stringify(v)}`).toBe(false);
  });

  it('refuses an unknown channel', async () => {
    const d = createDispatcher([spyHandlers([])]);
    expect(await d.dispatch('fs.readFile', { path: '/etc/passwd' })).toEqual({
      ok: false,
      error: "unknown channel 'fs.readFile'",
    });
  });

  it("turns a handler failure into a one-line error: the user's own, or a bug with its log file", async () => {
    const logs = mkdtempSync(join(tmpdir(), 'shotcast-logs-'));
    vi.stubEnv('SHOTCAST_LOG_DIR', logs);
    const handlers = spyHandlers([]);
    handlers['datasets.list'] = () => {
      throw new Error('disk on fire\n    at somewhere (x.ts:1:1)');
    };
    handlers['datasets.rejects'] = () => {
      throw new DataError("no dataset named 'x' in the database");
    };
    const d = createDispatcher([handlers]);
    const bug = await d.dispatch('datasets.list', {});
    vi.unstubAllEnvs();
    expect(bug.ok).toBe(false);
    const error = bug.ok ? '' : bug.error;
    expect(error).toMatch(/^datasets\.list: internal error: disk on fire \(a bug; the stack is in \S+\)$/);
    const log = /the stack is in (\S+)\)/.exec(error)![1];
    expect(log.startsWith(logs)).toBe(true);
    expect(readFileSync(log, 'utf8')).toMatch(/Error: disk on fire/);
    expect(await d.dispatch('datasets.rejects', { dataset: 'x', limit: 1, offset: 0 })).toEqual({
      ok: false,
      error: "no dataset named 'x' in the database",
    });
  });

  it('is a start-up error to register a channel twice, an undeclared one, or to miss one', () => {
    const all = spyHandlers([]);
    expect(() => createDispatcher([all, { 'datasets.list': () => [] }])).toThrow(
      'IPC handler registered twice: datasets.list',
    );
    expect(() => createDispatcher([{ ...all, 'shell.exec': () => 0 } as unknown as HandlerMap])).toThrow(
      'undeclared channel: shell.exec',
    );
    const partial: Partial<HandlerMap> = { ...all };
    delete partial['jobs.cancel'];
    expect(() => createDispatcher([partial])).toThrow('IPC channels without a handler: jobs.cancel');
  });
});

describe('the real handlers', () => {
  it('cover every channel and refuse malformed arguments on each', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shotcast-ipc-'));
    const db = openDb(join(dir, 'test.db'));
    try {
      const d = createDispatcher(
        createHandlers({
          db,
          dbPath: join(dir, 'test.db'),
          resourcesDir: join(dir, 'resources'),
          transport: 'web',
          version: '0.0.0',
          jobs: new Jobs(),
          tiles: () => null,
        }),
      );
      expect([...d.channels].sort()).toEqual([...CHANNELS].sort());
      for (const c of CHANNELS) {
        const r = await d.dispatch(c, { ...(VALID[c] as object), unexpected: true });
        expect(r.ok, c).toBe(false);
      }
      expect(await d.dispatch('datasets.list', {})).toEqual({ ok: true, value: [] });
      // The catalogue: every model with its defaults as the model itself reads them, the leaderboard in order.
      const cat = await d.dispatch('models.catalogue', {});
      if (!cat.ok) throw new Error(cat.error);
      const entries = cat.value as CatalogueModel[];
      expect(entries.find((e) => e.name === 'kde')).toMatchObject({
        kind: 'classical',
        params: [
          { key: 'tau', default: '90' },
          { key: 'sigma', default: '0.5' },
        ],
        leaderboard: 'kde:tau=90,sigma=0.5',
      });
      expect(entries.find((e) => e.name === 'convlstm')).toMatchObject({ kind: 'neural', leaderboard: null });
      expect(entries.filter((e) => e.leaderboard).map((e) => e.leaderboard)).toEqual([
        'counts-all',
        'counts-365d',
        'kde:tau=90,sigma=0.5',
        'prospective',
        'sepp',
        'persistence',
        'calendar',
      ]);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rename, change the zone of and delete a dataset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shotcast-ipc-'));
    const db = openDb(join(dir, 'test.db'));
    try {
      const file = join(dir, 'a.csv');
      writeFileSync(
        file,
        'ID,TYPE,DATETIME,SOURCE,LATITUDE,LONGITUDE\n1,Single_Gunshot,2016-01-10T12:00:00,WashingtonDC5D,37.8,-122.27\n',
      );
      await importFile(db, file, { dataset: 'a' });
      const d = createDispatcher(
        createHandlers({
          db,
          dbPath: join(dir, 'test.db'),
          resourcesDir: join(dir, 'resources'),
          transport: 'web',
          version: '0.0.0',
          jobs: new Jobs(),
          tiles: () => null,
        }),
      );
      expect(await d.dispatch('datasets.rename', { dataset: 'a', to: 'oakland' })).toEqual({
        ok: true,
        value: { from: 'a', to: 'oakland' },
      });
      const z = await d.dispatch('datasets.setZone', {
        dataset: 'oakland',
        tz: 'America/Los_Angeles',
        keep: 'wall-clock',
      });
      expect(z).toMatchObject({
        ok: true,
        value: { from: 'America/New_York', to: 'America/Los_Angeles', changed: 1 },
      });
      const list = await d.dispatch('datasets.list', {});
      expect(list.ok && (list.value as { name: string; tz: string }[]).map((x) => [x.name, x.tz])).toEqual([
        ['oakland', 'America/Los_Angeles'],
      ]);
      const del = await d.dispatch('datasets.delete', { dataset: 'oakland', confirm: true });
      expect(del).toMatchObject({
        ok: true,
        value: { name: 'oakland', deleted: { events: 1 }, filesRemoved: 0 },
      });
      expect(await d.dispatch('datasets.list', {})).toEqual({ ok: true, value: [] });
      expect(await d.dispatch('datasets.delete', { dataset: 'oakland', confirm: true })).toEqual({
        ok: false,
        error: "no dataset named 'oakland' in the database (see 'shotcast datasets')",
      });
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
