import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { importFile } from '../../ingest/import.ts';
import { openDb, migrate } from '../connection.ts';
import { MIGRATIONS } from './index.ts';

/** A database as shotcast left it at schema version 3, with events in the old wide form. */
function version3Db(path: string): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  migrate(
    db,
    MIGRATIONS.filter((m) => m.version <= 3),
  );
  db.exec(`
    INSERT INTO datasets (id, name, city, tz, format, created_at, updated_at)
      VALUES (1, 'dc', 'Washington DC', 'America/New_York', 'mpd-normalized', 'x', 'x');
    INSERT INTO imports (id, dataset_id, source_file, size, sha256, format, imported_at, rows, imported, duplicates, rejected)
      VALUES (1, 1, 'a.csv', 10, 'abc', 'mpd-normalized', 'x', 6, 6, 1, 0);
    INSERT INTO locations (id, lat_e6, lon_e6) VALUES (1, 38900000, -77000000), (2, 38910000, -77010000);
  `);
  const ins = db.prepare(
    `INSERT INTO events (id, dataset_id, import_id, line, source_id, utc_ms, local_time, lat, lon, location_id, type, raw_type, rounds, duplicate_of, raw)
     VALUES (?, 1, 1, ?, ?, ?, ?, 38.9, -77, 1, ?, ?, ?, ?, ?)`,
  );
  // utc, local: EST with a fraction of a second; EDT; before 1970 (negative instant, fraction); +05:30.
  ins.run(
    1,
    2,
    'a',
    Date.parse('2018-03-11T06:59:59.500Z'),
    '2018-03-11T01:59:59',
    'single',
    'Single_Gunshot',
    null,
    null,
    'r1',
  );
  ins.run(
    2,
    3,
    'b',
    Date.parse('2018-07-01T16:00:00Z'),
    '2018-07-01T12:00:00',
    'multiple',
    'MULTIPLE GUNSHOTS',
    null,
    null,
    'r2',
  );
  ins.run(
    3,
    4,
    'c',
    Date.parse('2018-07-01T16:00:00Z'),
    '2018-07-01T12:00:00',
    'multiple',
    'Multiple_Gunshots',
    null,
    2,
    'r3',
  );
  ins.run(
    4,
    5,
    null,
    -500,
    '1969-12-31T18:59:59',
    'gunshot_or_firecracker',
    'Probable Gunfire',
    null,
    null,
    'r4',
  );
  ins.run(
    5,
    6,
    'e',
    Date.parse('2020-01-01T00:00:00Z'),
    '2020-01-01T05:30:00',
    'unknown',
    'Helicopter',
    3,
    null,
    'r5',
  );
  ins.run(
    6,
    7,
    'f',
    Date.parse('2020-01-01T00:00:00Z'),
    '2020-01-01T05:30:00',
    'unknown',
    null,
    null,
    null,
    'r6',
  );
  db.close();
}

describe('migrations 4 and 5: narrow events, local time in the events_local view', () => {
  it('migrates a version-3 database: same types, local times and links, from a code and an offset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shotcast-m4-'));
    const path = join(dir, 'v3.sqlite');
    version3Db(path);
    const db = openDb(path);
    // Migrated to the newest version (4 and 5 among them).
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS[MIGRATIONS.length - 1].version);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const rows = db
      .prepare(
        `SELECT id, source_id AS s, utc_ms AS u, type, type_code AS code, local_time AS local,
           utc_offset_s AS off, raw_type AS rawType, rounds, duplicate_of AS dup, raw
         FROM events_local ORDER BY id`,
      )
      .all();
    expect(rows).toEqual([
      {
        id: 1,
        s: 'a',
        u: 1520751599500,
        type: 'single',
        code: 0,
        local: '2018-03-11T01:59:59',
        off: -18000,
        rawType: null,
        rounds: null,
        dup: null,
        raw: 'r1',
      },
      {
        id: 2,
        s: 'b',
        u: 1530460800000,
        type: 'multiple',
        code: 1,
        local: '2018-07-01T12:00:00',
        off: -14400,
        rawType: null,
        rounds: null,
        dup: null,
        raw: 'r2',
      },
      {
        id: 3,
        s: 'c',
        u: 1530460800000,
        type: 'multiple',
        code: 1,
        local: '2018-07-01T12:00:00',
        off: -14400,
        rawType: null,
        rounds: null,
        dup: 2,
        raw: 'r3',
      },
      {
        id: 4,
        s: null,
        u: -500,
        type: 'gunshot_or_firecracker',
        code: 2,
        local: '1969-12-31T18:59:59',
        off: -18000,
        rawType: null,
        rounds: null,
        dup: null,
        raw: 'r4',
      },
      {
        id: 5,
        s: 'e',
        u: 1577836800000,
        type: 'unknown',
        code: 3,
        local: '2020-01-01T05:30:00',
        off: 19800,
        rawType: 'Helicopter',
        rounds: 3,
        dup: null,
        raw: 'r5',
      },
      {
        id: 6,
        s: 'f',
        u: 1577836800000,
        type: 'unknown',
        code: 3,
        local: '2020-01-01T05:30:00',
        off: 19800,
        rawType: null,
        rounds: null,
        dup: null,
        raw: 'r6',
      },
    ]);
    const indexes = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' ORDER BY name`)
      .pluck()
      .all();
    expect(indexes).toEqual(['events_dataset_time']);
    // Nothing is computed per inserted row: the text local time lives in the view only.
    const generated = db
      .prepare(`SELECT name FROM pragma_table_xinfo('events') WHERE hidden != 0 ORDER BY name`)
      .pluck()
      .all();
    expect(generated).toEqual(['type']);
    expect(db.prepare(`SELECT COUNT(*) FROM sqlite_master WHERE name = 'events_v3'`).pluck().get()).toBe(0);
    // A duplicate link still refers to the events table itself, so it is enforced.
    expect(() => db.prepare(`UPDATE events SET duplicate_of = 99 WHERE id = 1`).run()).toThrow(/FOREIGN KEY/);

    // The migrated dataset takes new imports: the overlapping row is recognised, ids continue.
    const csv = join(dir, 'more.csv');
    writeFileSync(
      csv,
      'ID,TYPE,DATETIME,SOURCE,LATITUDE,LONGITUDE,RAW\n' +
        'b,Multiple_Gunshots,2018-07-01T12:00:00,WashingtonDC1D,38.9,-77,x\n' +
        'g,Single_Gunshot,2018-07-02T12:00:00,WashingtonDC1D,38.9,-77,x\n',
    );
    const r = await importFile(db, csv, { dataset: 'dc' });
    expect(r).toMatchObject({ rows: 2, imported: 1, skippedExisting: 1, to: '2018-07-02T12:00:00' });
    expect(db.prepare(`SELECT id, local_time FROM events_local WHERE source_id = 'g'`).raw().get()).toEqual([
      7,
      '2018-07-02T12:00:00',
    ]);
    db.close();
  });
});
