import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DC_SAMPLE, TEST_DATA } from '../../../test/paths.ts';
import type { WritableDb } from '../db/connection.ts';
import { importFile, type ImportReport } from './import.ts';
import { snapshot, tempDb } from './testing.ts';

/** The stored output of an import, without what depends on the clock (created/imported at). */
function stored(db: WritableDb): unknown {
  return {
    events: db.prepare(`SELECT * FROM events ORDER BY id`).all(),
    rejects: db.prepare(`SELECT * FROM rejects ORDER BY id`).all(),
    locations: db.prepare(`SELECT * FROM locations ORDER BY id`).all(),
    imports: db.prepare(`SELECT rows, imported, duplicates, rejected, sha256, format FROM imports`).all(),
  };
}

function comparable(r: ImportReport): Omit<ImportReport, 'seconds'> {
  const { seconds: _seconds, ...rest } = r;
  return rest;
}

describe('parsing in a worker thread', () => {
  it.each([
    [DC_SAMPLE],
    [join(TEST_DATA, 'dc/dc_foia_2006-2013_incidents.csv.gz')],
    [join(TEST_DATA, 'dc/dc_jtl_2006-2016_numshots.csv.gz')],
    [join(TEST_DATA, 'oakland/OakShots_latlong.csv.gz')],
  ])('%s: the same events, rejects, locations and report as parsing on the writing thread', async (file) => {
    const here = tempDb().db;
    const there = tempDb().db;
    const a = await importFile(here, file, { dataset: 'x', worker: false });
    const b = await importFile(there, file, { dataset: 'x', worker: true });
    expect(b.rows).toBeGreaterThan(10_000);
    expect(comparable(b)).toEqual(comparable(a));
    expect(stored(there)).toEqual(stored(here));
    here.close();
    there.close();
  });

  it('reports progress and writes into a dataset that already has locations from another', async () => {
    const { db } = tempDb();
    await importFile(db, DC_SAMPLE, { dataset: 'a' });
    const done: number[] = [];
    const r = await importFile(db, DC_SAMPLE, { dataset: 'b', worker: true }, (p) =>
      done.push(p.done / p.total),
    );
    expect(r).toMatchObject({ imported: 31_787, duplicates: 196 });
    expect(done.at(-1)).toBe(1);
    // Same coordinates in both datasets: no location added twice, every event points at a stored one.
    const dupLoc = db
      .prepare(`SELECT COUNT(*) AS n FROM locations GROUP BY lat_e6, lon_e6 HAVING n > 1`)
      .all();
    expect(dupLoc).toEqual([]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const same = db
      .prepare(
        `SELECT COUNT(*) AS n FROM events a JOIN events b ON a.line = b.line AND a.dataset_id = 1 AND b.dataset_id = 2
         WHERE a.location_id = b.location_id AND a.utc_ms = b.utc_ms AND a.type_code = b.type_code
           AND (a.duplicate_of IS NULL) = (b.duplicate_of IS NULL)`,
      )
      .get() as { n: number };
    expect(same.n).toBe(31_787);
    db.close();
  });

  it('a fatal error in the worker leaves the database exactly as it was, with the same one-line message', async () => {
    const { db, dir } = tempDb();
    const before = snapshot(db);
    const rows = ['ID,TYPE,DATETIME,SOURCE,LATITUDE,LONGITUDE,RAW'];
    for (let i = 0; i < 20_000; i++) {
      const t = new Date(Date.UTC(2016, 0, 1) + i * 60_000).toISOString().slice(0, 19);
      rows.push(`1D${i},Single_Gunshot,${t},WashingtonDC1D,38.9${i % 10},-77.01,x`);
    }
    rows.push('9D9,"Single_Gunshot,2016');
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, rows.join('\n') + '\n');
    await expect(importFile(db, bad, { dataset: 'dc', worker: true })).rejects.toThrow(
      /bad\.csv, line 20002: unterminated quoted field/,
    );
    expect(snapshot(db)).toBe(before);
    expect(db.inTransaction).toBe(false);

    // A write that fails in the middle of a multi-row INSERT (a trigger stands in for a broken
    // constraint): the rows before it in that statement are undone with the rest, on either thread.
    db.exec(
      `CREATE TRIGGER fail_at_line_3000 BEFORE INSERT ON events WHEN NEW.line = 3000 BEGIN SELECT RAISE(FAIL, 'refused line 3000'); END`,
    );
    const withTrigger = snapshot(db);
    rows.pop();
    const good = join(dir, 'good.csv');
    writeFileSync(good, rows.join('\n') + '\n');
    for (const worker of [false, true]) {
      await expect(importFile(db, good, { dataset: 'dc', worker })).rejects.toThrow(/refused line 3000/);
      expect(snapshot(db)).toBe(withTrigger);
    }
    db.exec(`DROP TRIGGER fail_at_line_3000`);

    const noZone = join(dir, 'g.csv');
    writeFileSync(noZone, 'lat,lon,datetime\n38.9,-77,2016-01-01 10:00\n');
    await expect(importFile(db, noZone, { worker: true })).rejects.toThrow(
      /cannot tell the time zone .* pass --tz/,
    );
    expect(snapshot(db)).toBe(before);
    db.close();
  });
});
