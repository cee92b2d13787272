import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandContext } from '../command.ts';
import { openDb } from '../../main/db/connection.ts';
import { EVENT_TYPES, type EventType } from '../../shared/types.ts';
import { listModels, listTrials } from '../../main/db/queries/models.ts';
import { trainCommand } from './train.ts';
import { forecastCommand } from './forecast.ts';
import { tuneCommand } from './tune.ts';
import { updateCommand } from './update.ts';
import { writeFileSync } from 'node:fs';
import { DC_SAMPLE } from '../../../test/paths.ts';

const DATA = DC_SAMPLE;
const TYPES: Record<string, string> = {
  Single_Gunshot: 'single',
  Multiple_Gunshots: 'multiple',
  Gunshot_or_Firecracker: 'gunshot_or_firecracker',
};

/** A database holding DC's January–February 2014 events (EST all along, so UTC = local + 5 h). */
function janFebDb(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'shotcast-neural-')), 'dc.sqlite');
  const db = openDb(path);
  db.prepare(
    `INSERT INTO datasets (id, name, city, tz, format, created_at, updated_at) VALUES (1, 'dc', 'Washington DC', 'America/New_York', 'mpd-normalized', 'x', 'x')`,
  ).run();
  db.prepare(
    `INSERT INTO imports (id, dataset_id, source_file, size, sha256, format, imported_at, rows, imported, duplicates, rejected) VALUES (1, 1, 'f', 1, 'abc', 'mpd-normalized', 'x', 0, 0, 0, 0)`,
  ).run();
  const loc = db.prepare(`INSERT OR IGNORE INTO locations (lat_e6, lon_e6) VALUES (?, ?)`);
  const locId = db.prepare(`SELECT id FROM locations WHERE lat_e6 = ? AND lon_e6 = ?`).pluck();
  const ev = db.prepare(
    `INSERT INTO events (dataset_id, import_id, line, utc_ms, utc_offset_s, lat, lon, location_id, type_code, raw) VALUES (1, 1, ?, ?, -18000, ?, ?, ?, ?, '')`,
  );
  const lines = readFileSync(DATA, 'utf8').split('\n');
  db.transaction(() => {
    lines.forEach((line, i) => {
      const f = line.split(',');
      if (i === 0 || !f[2] || f[2] >= '2014-03-01') return;
      const lat = Number(f[4]);
      const lon = Number(f[5]);
      loc.run(Math.round(lat * 1e6), Math.round(lon * 1e6));
      const id = locId.get(Math.round(lat * 1e6), Math.round(lon * 1e6)) as number;
      const type = (TYPES[f[1]] ?? 'unknown') as EventType;
      ev.run(i + 1, Date.parse(f[2] + 'Z') + 5 * 3600_000, lat, lon, id, EVENT_TYPES.indexOf(type));
    });
  })();
  db.close();
  return path;
}

function ctx(values: CommandContext['values']): CommandContext {
  return { values, positionals: [], json: true, log: () => {}, progress: () => {} };
}

interface Tuned {
  objective: string;
  allKeptStart: boolean;
  note: string | null;
  trials: { objective: number | null; status: string; metrics?: Record<string, number> }[];
}

const GRID = { bbox: '38.81,-77.05,38.97,-76.90', rows: '6', cols: '6' };
const TINY = 'convlstm:hidden=4,head=4,lags=3,batch=4,epochs=1,taus=30/90,windows=7/28';

describe('neural commands', () => {
  it('train registers an exported model that forecast runs through onnxruntime; tune stores every trial', async () => {
    const db = janFebDb();
    const dir = mkdtempSync(join(tmpdir(), 'shotcast-model-'));
    const out = join(dir, 'm.onnx');
    const r = (await trainCommand.run(
      ctx({ db, dataset: 'dc', ...GRID, model: TINY, 'train-to': '2014-02-10', 'val-to': '2014-03-01', out }),
    )) as { modelId: number; onnx: { sha256: string }; checkpoint: string; metrics: Record<string, number> };
    expect(existsSync(out) && existsSync(r.checkpoint)).toBe(true);
    expect(createHash('sha256').update(readFileSync(out)).digest('hex')).toBe(r.onnx.sha256);
    // Stopped on validation deviance at the calibrated level (not on hit rate), and calibrated.
    expect(r.metrics.valDeviance).toBeGreaterThan(0);
    expect(r.metrics.calibration).toBeGreaterThan(0);
    expect([0, 1]).toContain(r.metrics.bestEpoch);
    const f = (await forecastCommand.run(ctx({ db, dataset: 'dc', at: '2014-03-01', top: '5' }))) as {
      model: { source: string; id: number };
      top: { risk: number; types: Record<string, number> }[];
      steps: { start: string }[];
    };
    expect(f.model).toMatchObject({ source: 'neural', id: r.modelId });
    expect(f.steps[0].start.startsWith('2014-03-01T00:00:00')).toBe(true);
    expect(f.top).toHaveLength(5);
    for (let i = 1; i < 5; i++) expect(f.top[i - 1].risk).toBeGreaterThanOrEqual(f.top[i].risk);
    const typeSum = Object.values(f.top[0].types).reduce((a, b) => a + b, 0);
    expect(typeSum).toBeCloseTo(1, 5);

    const t = (await tuneCommand.run(
      ctx({
        db,
        dataset: 'dc',
        ...GRID,
        model: TINY,
        'train-to': '2014-02-10',
        'val-to': '2014-03-01',
        trials: '2',
        space: 'lr=log:1e-4..1e-2; loss=poisson|bce',
        study: 's1',
      }),
    )) as Tuned;
    expect(t.trials).toHaveLength(2);
    // By default the search minimises the validation deviance: its objective is minus that deviance.
    expect(t.objective).toBe('deviance');
    for (const x of t.trials.filter((y) => y.status === 'ok')) {
      expect(x.objective).toBe(-x.metrics!.valDeviance);
      expect(x.metrics!.keptStart).toBe(x.metrics!.bestEpoch === 0 ? 1 : 0);
    }
    const ok = t.trials.filter((y) => y.status === 'ok');
    expect(t.allKeptStart).toBe(ok.length > 0 && ok.every((y) => y.metrics!.bestEpoch === 0));
    expect(t.note !== null).toBe(t.allKeptStart);
    if (t.allKeptStart) expect(t.note).toContain('kept its untrained start');
    // Hit rate stays a choice.
    const h5 = (await tuneCommand.run(
      ctx({
        db,
        dataset: 'dc',
        ...GRID,
        model: TINY,
        'train-to': '2014-02-10',
        'val-to': '2014-03-01',
        trials: '1',
        space: 'lr=log:1e-4..1e-2',
        study: 's2',
        objective: 'hr5',
      }),
    )) as Tuned;
    expect(h5.objective).toBe('hr5');
    expect(h5.trials[0].objective).toBe(h5.trials[0].metrics!.valHitRate5);
    await expect(
      tuneCommand.run(
        ctx({
          db,
          dataset: 'dc',
          ...GRID,
          'train-to': '2014-02-10',
          'val-to': '2014-03-01',
          objective: 'hr1',
        }),
      ),
    ).rejects.toThrow('--objective must be deviance or hr5');
    const handle = openDb(db);
    expect(listTrials(handle, 's1').map((x) => x.objective)).toEqual(t.trials.map((x) => x.objective));
    expect(listModels(handle, 1)).toHaveLength(1);
    handle.close();
  });

  it('update imports new alerts and fine-tunes the latest model into a new version', async () => {
    const db = janFebDb();
    const dir = mkdtempSync(join(tmpdir(), 'shotcast-model-'));
    const first = (await trainCommand.run(
      ctx({
        db,
        dataset: 'dc',
        ...GRID,
        model: TINY,
        'train-to': '2014-02-10',
        'val-to': '2014-03-01',
        out: join(dir, 'm.onnx'),
      }),
    )) as { modelId: number };
    const lines = readFileSync(DATA, 'utf8').split('\n');
    const march = lines.filter(
      (l, i) => i === 0 || (l.split(',')[2] >= '2014-03-01' && l.split(',')[2] < '2014-03-15'),
    );
    const file = join(dir, 'march.csv');
    writeFileSync(file, march.join('\n') + '\n');
    const r = (await updateCommand.run({ ...ctx({ db, dataset: 'dc' }), positionals: [file] })) as {
      import: { imported: number };
      update: {
        parentId: number;
        modelId: number;
        newSteps: number;
        heldOutSteps: number;
        before: { hitRate5: number };
        after: { hitRate5: number };
      };
    };
    expect(r.import.imported).toBe(march.length - 1);
    expect(r.update).toMatchObject({ parentId: first.modelId, newSteps: 14, heldOutSteps: 7 });
    // Early stopping keeps the parent's weights unless the held-out steps prefer the fine-tune.
    expect(r.update.after.hitRate5).toBeGreaterThanOrEqual(r.update.before.hitRate5);
    const handle = openDb(db);
    const models = listModels(handle, 1);
    expect(models.map((m) => m.parentId)).toEqual([null, first.modelId]);
    expect(models[1].dataCutoff).toBe('2014-03-15');
    handle.close();
    const f = (await forecastCommand.run(ctx({ db, dataset: 'dc', at: '2014-03-15', top: '3' }))) as {
      model: { id: number };
    };
    expect(f.model.id).toBe(r.update.modelId);
  });

  it('forecast falls back to a classical model when the dataset has no neural model', async () => {
    const db = janFebDb();
    const f = (await forecastCommand.run(
      ctx({ db, dataset: 'dc', ...GRID, at: '2014-02-20', top: '3' }),
    )) as {
      model: { source: string; name: string };
      top: unknown[];
    };
    expect(f.model).toEqual({ source: 'classical', name: 'kde' });
    expect(f.top).toHaveLength(3);
  });
});
