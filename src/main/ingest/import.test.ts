import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { listRejects } from '../db/queries/rejects.ts';
import { importFile, importFiles } from './import.ts';
import { snapshot, tempDb } from './testing.ts';

const MPD_HEADER = 'ID,TYPE,DATETIME,SOURCE,LATITUDE,LONGITUDE,RAW';

function mpdRows(n: number, start = Date.UTC(2015, 0, 5, 12), stepS = 60): string[] {
  const rows: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = new Date(start + i * stepS * 1000).toISOString().slice(0, 19);
    rows.push(`1D${i},Single_Gunshot,${t},WashingtonDC1D,38.9${String(i % 100).padStart(2, '0')},-77.012,x`);
  }
  return rows;
}

function write(dir: string, name: string, lines: string[], eol = '\n'): string {
  const file = join(dir, name);
  writeFileSync(file, lines.join(eol) + eol);
  return file;
}

describe('importFile', () => {
  it('adds nothing when the same file is imported again, nor for rows an overlapping file repeats', async () => {
    const { db, dir } = tempDb();
    const file = write(dir, 'a.csv', [MPD_HEADER, ...mpdRows(200)]);
    const first = await importFile(db, file, { dataset: 'dc' });
    expect(first.imported).toBe(200);
    const before = snapshot(db);
    const again = await importFile(db, file, { dataset: 'dc' });
    expect(again).toMatchObject({ alreadyImported: true, imported: 0, rows: 200, skippedExisting: 200 });
    expect(snapshot(db)).toBe(before);
    // Same rows, other bytes (CRLF), plus 10 new ones: only the new ones are added.
    const overlap = write(dir, 'b.csv', [MPD_HEADER, ...mpdRows(210)], '\r\n');
    const r = await importFile(db, overlap, { dataset: 'dc' });
    expect(r).toMatchObject({ rows: 210, imported: 10, skippedExisting: 200, duplicates: 0 });
    const n = db.prepare(`SELECT COUNT(*) AS n FROM events`).get() as { n: number };
    expect(n.n).toBe(210);
  });

  it('flags the same shot reported twice (same type, second and place) and keeps both', async () => {
    const { db, dir } = tempDb();
    const file = write(dir, 'd.csv', [
      MPD_HEADER,
      '5D1,Multiple_Gunshots,2016-06-01T22:10:05,WashingtonDC5D,38.906,-76.982,x',
      '1D1,Multiple_Gunshots,2016-06-01T22:10:05,WashingtonDC1D,38.906,-76.982,x', // duplicate
      '3D1,Single_Gunshot,2016-06-01T22:10:05,WashingtonDC3D,38.906,-76.982,x', // other type
      '4D1,Multiple_Gunshots,2016-06-01T22:10:06,WashingtonDC4D,38.906,-76.982,x', // other second
      '6D1,Multiple_Gunshots,2016-06-01T22:10:05,WashingtonDC6D,38.907,-76.982,x', // other place
      '7D1,Multiple_Gunshots,2016-06-01T22:10:05,WashingtonDC7D,38.906,-76.982,x', // duplicate again
    ]);
    const r = await importFile(db, file, {});
    expect(r).toMatchObject({ imported: 6, duplicates: 2 });
    const rows = db.prepare(`SELECT id, source_id AS s, duplicate_of AS d FROM events ORDER BY id`).all() as {
      id: number;
      s: string;
      d: number | null;
    }[];
    const first = rows.find((x) => x.s === '5D1')!.id;
    expect(rows.map((x) => [x.s, x.d])).toEqual([
      ['5D1', null],
      ['1D1', first],
      ['3D1', null],
      ['4D1', null],
      ['6D1', null],
      ['7D1', first],
    ]);
  });

  it('rejects impossible rows with a reason, the raw text, the line and the column', async () => {
    const { db, dir } = tempDb();
    const file = write(dir, 'g.csv', [
      'id,lat,lon,datetime,type',
      'a,38.9,-77.0,2016-01-01 10:00,Single Gunshot',
      'b,95,-77.0,2016-01-01 10:00,Single Gunshot',
      'c,38.9,-200,2016-01-01 10:00,Single Gunshot',
      'd,0,0,2016-01-01 10:00,Single Gunshot',
      'e,38.9,-77.0,2016-02-30 10:00,Single Gunshot',
      'f,38.9,-77.0,2999-01-01 10:00,Single Gunshot',
      'g,,-77.0,2016-01-01 10:00,Single Gunshot',
      'h,north,-77.0,2016-01-01 10:00,Single Gunshot',
      'i,38.9',
    ]);
    const r = await importFile(db, file, { dataset: 'g', tz: 'America/New_York' });
    expect(r).toMatchObject({ format: 'generic', rows: 9, imported: 1, rejected: 8 });
    expect(r.rejectsByReason).toEqual({
      coordinates_out_of_range: 2,
      coordinates_zero: 1,
      bad_date: 1,
      future_date: 1,
      missing_field: 2,
      bad_coordinates: 1,
    });
    const page = listRejects(db, 'g', { limit: 3, offset: 1 });
    expect(page.total).toBe(8);
    expect(page.rows.map((x) => [x.line, x.reason, x.column, x.raw])).toEqual([
      [4, 'coordinates_out_of_range', 'lon', 'c,38.9,-200,2016-01-01 10:00,Single Gunshot'],
      [5, 'coordinates_zero', null, 'd,0,0,2016-01-01 10:00,Single Gunshot'],
      [6, 'bad_date', 'datetime', 'e,38.9,-77.0,2016-02-30 10:00,Single Gunshot'],
    ]);
    expect(page.rows[0].sourceFile).toBe('g.csv');
  });

  it('stores UTC instants and local times across DST: gap shifted forward, fold read as the earlier instant', async () => {
    const { db, dir } = tempDb();
    const file = write(dir, 'dst.csv', [
      MPD_HEADER,
      'a,Single_Gunshot,2018-03-11T01:59:59,WashingtonDC1D,38.9,-77.0,x',
      'b,Single_Gunshot,2018-03-11T02:30:00,WashingtonDC1D,38.9,-77.0,x', // does not exist in New York
      'c,Single_Gunshot,2018-11-04T01:30:00,WashingtonDC1D,38.9,-77.0,x', // exists twice
      'd,Single_Gunshot,2018-11-04T02:00:00,WashingtonDC1D,38.9,-77.0,x',
    ]);
    const r = await importFile(db, file, {});
    expect(r).toMatchObject({ dstGapShifted: 1, dstFoldEarlier: 1, imported: 4 });
    const rows = db
      .prepare(`SELECT source_id AS s, utc_ms AS u, local_time AS l FROM events_local ORDER BY id`)
      .all() as {
      s: string;
      u: number;
      l: string;
    }[];
    expect(rows.map((x) => [x.s, new Date(x.u).toISOString(), x.l])).toEqual([
      ['a', '2018-03-11T06:59:59.000Z', '2018-03-11T01:59:59'],
      ['b', '2018-03-11T07:30:00.000Z', '2018-03-11T03:30:00'],
      ['c', '2018-11-04T05:30:00.000Z', '2018-11-04T01:30:00'],
      ['d', '2018-11-04T07:00:00.000Z', '2018-11-04T02:00:00'],
    ]);
  });

  it('reads a generic file with --map, date + time columns, and the known type spellings', async () => {
    const { db, dir } = tempDb();
    const file = write(dir, 'oak.csv', [
      'Event No,When (date),Clock,Northing,Easting,Class',
      '1,7/4/2019,23:59:59,37.80,-122.27,Single Gunshot',
      '2,7/4/2019,11:00 PM,37.80,-122.27,Multiple_Gunshots',
      '3,7/4/2019,23:00:00,37.80,-122.27,MULTIPLE GUNSHOTS',
      '4,7/4/2019,23:00:00,37.81,-122.27,Gunshot_or_Firecracker',
      '5,7/4/2019,23:00:00,37.82,-122.27,Probable Gunfire',
      '6,7/4/2019,23:00:00,37.83,-122.27,Helicopter',
    ]);
    const r = await importFile(db, file, {
      city: 'Oakland',
      map: {
        id: 'Event No',
        date: 'When (date)',
        time: 'Clock',
        lat: 'Northing',
        lon: 'Easting',
        type: 'Class',
      },
    });
    expect(r).toMatchObject({ format: 'generic', tz: 'America/Los_Angeles', imported: 6, duplicates: 1 });
    expect(r.byType).toEqual({ single: 1, multiple: 2, gunshot_or_firecracker: 2, unknown: 1 });
    const raw = db.prepare(`SELECT raw_type AS t FROM events WHERE type = 'unknown'`).get();
    expect(raw).toEqual({ t: 'Helicopter' });
    expect(r.to).toBe('2019-07-04T23:59:59');
  });

  it('a big load builds the events indexes at the end and leaves foreign keys on and satisfied', async () => {
    const { db, dir } = tempDb();
    const indexes = () =>
      db
        .prepare(
          `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' ORDER BY name`,
        )
        .all();
    const before = indexes();
    expect(before.map((i) => (i as { name: string }).name)).toContain('events_dataset_time');
    // ~6 MB: big enough to take the deferred-index path.
    const file = write(dir, 'big.csv', [MPD_HEADER, ...mpdRows(70_000)]);
    const r = await importFile(db, file, { dataset: 'big' });
    expect(r.imported).toBe(70_000);
    expect(indexes()).toEqual(before);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT * FROM events WHERE dataset_id = 1 AND utc_ms > 0`)
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX/);
  });

  it('a generic file without a zone asks for one', async () => {
    const { db, dir } = tempDb();
    const file = write(dir, 'g.csv', ['lat,lon,datetime', '38.9,-77,2016-01-01 10:00']);
    await expect(importFile(db, file, {})).rejects.toThrow(/cannot tell the time zone .* pass --tz/);
    expect(db.prepare(`SELECT COUNT(*) AS n FROM datasets`).get()).toEqual({ n: 0 });
  });
});

describe('a failed import leaves the database exactly as it was', () => {
  it('an unreadable row after thousands of good ones (unterminated quote)', async () => {
    const { db, dir } = tempDb();
    await importFile(db, write(dir, 'base.csv', [MPD_HEADER, ...mpdRows(50)]), { dataset: 'dc' });
    const before = snapshot(db);
    const bad = write(dir, 'bad.csv', [
      MPD_HEADER,
      ...mpdRows(5000, Date.UTC(2016, 0, 1)),
      '9D9,"Single_Gunshot,2016',
    ]);
    await expect(importFile(db, bad, { dataset: 'dc' })).rejects.toThrow(
      /bad\.csv, line 5002: unterminated quoted field/,
    );
    expect(snapshot(db)).toBe(before);
    expect(db.inTransaction).toBe(false);
  });

  it('a workbook whose second sheet lacks a required column', async () => {
    const { db, dir } = tempDb();
    const file = join(dir, 'mpd.xlsx');
    const wb = new ExcelJS.Workbook();
    const good = wb.addWorksheet('2014');
    good.addRow(['ID', 'Type', 'Date', 'Time', 'Source', 'Lat (100)', 'Lon (100)']);
    for (let i = 0; i < 300; i++)
      good.addRow([`1D${i}`, 'Single_Gunshot', 41640 + (i % 300), 0.5, 'WashingtonDC1D', 38.9, -77]);
    const bad = wb.addWorksheet('2015');
    bad.addRow(['ID', 'Type', 'Date', 'Source', 'Lat (100)', 'Lon (100)']);
    bad.addRow(['1D9', 'Single_Gunshot', 42005, 'WashingtonDC1D', 38.9, -77]);
    await wb.xlsx.writeFile(file);
    const before = snapshot(db);
    await expect(importFile(db, file, {})).rejects.toThrow(
      /mpd\.xlsx \(sheet '2015'\), line 1, column 'Time': missing required column 'Time' for the mpd-raw format/,
    );
    expect(snapshot(db)).toBe(before);
  });

  it('a file of unknown format, and a missing file', async () => {
    const { db, dir } = tempDb();
    const before = snapshot(db);
    const file = write(dir, 'notes.csv', ['name,colour', 'a,red']);
    await expect(importFile(db, file, {})).rejects.toThrow(/notes\.csv: cannot tell the file's format/);
    await expect(importFile(db, join(dir, 'missing.csv'), {})).rejects.toThrow(
      /missing\.csv: cannot read file: ENOENT/,
    );
    expect(snapshot(db)).toBe(before);
  });

  it('several files are all-or-nothing', async () => {
    const { db, dir } = tempDb();
    const before = snapshot(db);
    const ok = write(dir, 'ok.csv', [MPD_HEADER, ...mpdRows(20)]);
    const bad = write(dir, 'bad.csv', [
      'ID,TYPE,DATETIME,SOURCE,LATITUDE',
      '1,Single_Gunshot,2016-01-01T00:00:00,x,38.9',
    ]);
    await expect(importFiles(db, [ok, bad], { dataset: 'dc', format: 'mpd-normalized' })).rejects.toThrow(
      /bad\.csv, line 1, column 'LONGITUDE': missing required column 'LONGITUDE'/,
    );
    expect(snapshot(db)).toBe(before);
  });
});
