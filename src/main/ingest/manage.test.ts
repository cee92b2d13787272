import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb, type WritableDb } from '../db/connection.ts';
import { listDatasets } from '../db/queries/datasets.ts';
import { insertModel } from '../db/queries/models.ts';
import { saveRun } from '../db/queries/runs.ts';
import { importFile } from './import.ts';
import { deleteDataset, renameDataset, setDatasetZone } from './manage.ts';

const dir = mkdtempSync(join(tmpdir(), 'shotcast-manage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Local clock times across both DST changes of New York, Los Angeles and Berlin in 2016 (Berlin's
// spring gap is 2016-03-27 02:00–03:00, its autumn fold 2016-10-30 02:00–03:00), one duplicate and
// one reject (coordinates 0, 0).
const FILE = join(dir, 'alerts.csv');
writeFileSync(
  FILE,
  [
    'ID,TYPE,DATETIME,SOURCE,LATITUDE,LONGITUDE',
    '1,Single_Gunshot,2016-01-10T12:00:00,WashingtonDC5D,38.9,-77.01',
    '2,Single_Gunshot,2016-01-10T12:00:00,WashingtonDC1D,38.9,-77.01',
    '3,Multiple_Gunshots,2016-03-13T02:30:00,WashingtonDC5D,38.91,-77.02',
    '4,Multiple_Gunshots,2016-03-27T02:30:00,WashingtonDC5D,38.91,-77.02',
    '5,Gunshot_or_Firecracker,2016-07-04T23:59:59.250,WashingtonDC5D,38.92,-77.03',
    '6,Single_Gunshot,2016-10-30T02:30:00,WashingtonDC5D,38.93,-77.04',
    '7,Single_Gunshot,2016-11-06T01:30:00,WashingtonDC5D,38.93,-77.04',
    '8,Single_Gunshot,2016-12-31T23:00:00,WashingtonDC5D,0,0',
  ].join('\n') + '\n',
);

type Row = { line: number; utcMs: number; offset: number; local: string; dup: number | null };
const rows = (db: WritableDb, dataset: string): Row[] =>
  db
    .prepare(
      `SELECT line, utc_ms AS utcMs, utc_offset_s AS offset, local_time AS local, duplicate_of AS dup
       FROM events_local WHERE dataset_id = (SELECT id FROM datasets WHERE name = ?) ORDER BY line`,
    )
    .all(dataset) as Row[];

/** The local wall clock of an instant in a zone, by Intl (independent of shotcast's converter). */
function intlLocal(tz: string, utcMs: number): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(utcMs))
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

async function freshDb(name: string): Promise<WritableDb> {
  const db = openDb(join(dir, name));
  await importFile(db, FILE, { dataset: 'dc', tz: 'America/New_York' });
  return db;
}

describe('renameDataset', () => {
  it('renames, keeps the events, and refuses a taken, empty or unknown name', async () => {
    const db = await freshDb('rename.db');
    await importFile(db, FILE, { dataset: 'other', tz: 'America/New_York' });
    const before = rows(db, 'dc');
    expect(await renameDataset(db, 'dc', ' washington ')).toEqual({ from: 'dc', to: 'washington' });
    expect(listDatasets(db).map((d) => d.name)).toEqual(['other', 'washington']);
    expect(rows(db, 'washington')).toEqual(before);
    await expect(renameDataset(db, 'washington', 'other')).rejects.toThrow(
      expect.objectContaining({ name: 'UsageError', message: "a dataset named 'other' already exists" }),
    );
    await expect(renameDataset(db, 'washington', '  ')).rejects.toThrow(/must not be empty/);
    await expect(renameDataset(db, 'nosuch', 'x')).rejects.toThrow(
      expect.objectContaining({ name: 'DataError', exitCode: 1 }),
    );
    expect(listDatasets(db).map((d) => d.name)).toEqual(['other', 'washington']);
    db.close();
  });
});

describe('deleteDataset', () => {
  it('removes its events, imports, rejects, runs, models and model files, and nothing of another dataset', async () => {
    const db = await freshDb('delete.db');
    await importFile(db, FILE, { dataset: 'keep', tz: 'America/New_York' });
    const id = (name: string) =>
      (db.prepare(`SELECT id FROM datasets WHERE name = ?`).get(name) as { id: number }).id;
    const file = (n: string) => {
      const p = join(dir, n);
      writeFileSync(p, n);
      return p;
    };
    const model = (datasetId: number, onnx: string, ckpt: string | null) =>
      insertModel(db, {
        datasetId,
        name: 'convlstm',
        preset: 'default',
        params: {},
        datasetHash: 'h',
        dataCutoff: '2017-01-01',
        metrics: {},
        onnxPath: onnx,
        onnxSha256: 's',
        checkpointPath: ckpt,
        parentId: null,
      });
    const ownOnnx = file('own.onnx');
    const ownCkpt = file('own.onnx.ckpt');
    const shared = file('shared.onnx');
    model(id('dc'), ownOnnx, ownCkpt);
    model(id('dc'), shared, null);
    model(id('keep'), shared, null);
    const run = { datasetHash: 'h', dataCutoff: 'x', testFrom: 'a', testTo: 'b', step: 'day', models: [] };
    saveRun(db, { ...run, datasetId: id('dc'), options: {}, result: {}, seconds: 1 });
    saveRun(db, { ...run, datasetId: id('keep'), options: {}, result: {}, seconds: 1 });
    const keepBefore = rows(db, 'keep');

    const r = await deleteDataset(db, 'dc');
    expect(r.deleted).toEqual({ events: 7, rejects: 1, imports: 1, runs: 1, models: 2, trials: 0 });
    expect(r.files.sort()).toEqual([ownOnnx, ownCkpt].sort());
    expect(existsSync(ownOnnx) || existsSync(ownCkpt)).toBe(false);
    // Still named by the other dataset's model.
    expect(existsSync(shared)).toBe(true);
    const left = (table: string) => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
    expect([
      left('events'),
      left('rejects'),
      left('imports'),
      left('evaluation_runs'),
      left('models'),
    ]).toEqual([7, 1, 1, 1, 1]);
    expect(listDatasets(db).map((d) => d.name)).toEqual(['keep']);
    expect(rows(db, 'keep')).toEqual(keepBefore);
    await expect(deleteDataset(db, 'dc')).rejects.toThrow(/no dataset named 'dc'/);
    db.close();
  });
});

describe('setDatasetZone', () => {
  it('wall-clock: the same events as a fresh import in the new zone, DST gaps and folds included', async () => {
    for (const tz of ['America/Los_Angeles', 'Europe/Berlin']) {
      const db = await freshDb(`zone-${tz.replace('/', '-')}.db`);
      const before = rows(db, 'dc');
      const r = await setDatasetZone(db, 'dc', tz);
      await importFile(db, FILE, { dataset: 'fresh', tz });
      const after = rows(db, 'dc');
      const fresh = rows(db, 'fresh');
      const norm = (e: Row) => ({ ...e, dup: e.dup !== null });
      // Line 4's clock time (02:30 on 2016-03-13) did not exist in New York: the import stored 03:30,
      // and 03:30 is the clock the change keeps. Every other event is exactly as a fresh import.
      expect(after.filter((e) => e.line !== 4).map(norm)).toEqual(
        fresh.filter((e) => e.line !== 4).map(norm),
      );
      expect(before[2].local).toBe('2016-03-13T03:30:00');
      expect(after[2].local).toBe('2016-03-13T03:30:00');
      expect(listDatasets(db).find((d) => d.name === 'dc')?.tz).toBe(tz);
      expect(r).toMatchObject({
        from: 'America/New_York',
        to: tz,
        mode: 'wall-clock',
        events: 7,
        changed: 7,
      });
      // 2016-03-27 02:30 does not exist in Berlin (moved to 03:30); 02:30 on 2016-03-13 does not exist
      // in New York and was already moved at import, so its clock reads 03:30 in every zone after.
      expect(r.dstGapShifted).toBe(tz === 'Europe/Berlin' ? 1 : 0);
      // Clock times otherwise unchanged.
      const changedClock = before.filter((e, i) => e.local !== after[i].local).map((e) => e.line);
      expect(changedClock).toEqual(tz === 'Europe/Berlin' ? [5] : []);
      db.close();
    }
  });

  it('instant: keeps every instant and recomputes the local times (checked by Intl)', async () => {
    const db = await freshDb('zone-instant.db');
    const before = rows(db, 'dc');
    const r = await setDatasetZone(db, 'dc', 'Asia/Kolkata', 'instant');
    const after = rows(db, 'dc');
    expect(after.map((e) => e.utcMs)).toEqual(before.map((e) => e.utcMs));
    expect(after.map((e) => e.local)).toEqual(after.map((e) => intlLocal('Asia/Kolkata', e.utcMs)));
    expect(after.every((e) => e.offset === 19_800)).toBe(true);
    expect(r).toMatchObject({ mode: 'instant', changed: 7, dstGapShifted: 0 });
    db.close();
  });

  it('refuses an unknown zone or dataset and changes nothing', async () => {
    const db = await freshDb('zone-bad.db');
    const before = rows(db, 'dc');
    await expect(setDatasetZone(db, 'dc', 'Mars/Olympus')).rejects.toThrow(
      expect.objectContaining({
        name: 'UsageError',
        message: expect.stringMatching(/unknown time zone 'Mars\/Olympus'/),
      }),
    );
    await expect(setDatasetZone(db, 'nosuch', 'UTC')).rejects.toThrow(/no dataset named 'nosuch'/);
    expect(rows(db, 'dc')).toEqual(before);
    expect(listDatasets(db)[0].tz).toBe('America/New_York');
    db.close();
  });
});
