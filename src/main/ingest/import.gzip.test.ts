import { describe, expect, it, vi } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DC_SAMPLE, TEST_DATA } from '../../../test/paths.ts';
import type { WritableDb } from '../db/connection.ts';
import { runCli } from '../../cli/run.ts';
import { DataError } from '../util/errors.ts';
import { importFile, type ImportReport } from './import.ts';
import { snapshot, tempDb } from './testing.ts';

/** What an import stored, without the clock, the file's name and its bytes (which gzip changes). */
function stored(db: WritableDb): unknown {
  return {
    events: db.prepare(`SELECT * FROM events ORDER BY id`).all(),
    rejects: db.prepare(`SELECT * FROM rejects ORDER BY id`).all(),
    locations: db.prepare(`SELECT * FROM locations ORDER BY id`).all(),
    imports: db.prepare(`SELECT rows, imported, duplicates, rejected, format FROM imports`).all(),
  };
}

function counts(r: ImportReport): unknown {
  const { seconds: _s, file: _f, size: _z, sha256: _h, ...rest } = r;
  return rest;
}

describe('importing gzip-compressed files', () => {
  it.each([
    ['on the writing thread', false],
    ['in a worker', true],
  ])('a .csv.gz of the DC sample gives exactly the events of the plain file (%s)', async (_how, worker) => {
    const plain = tempDb();
    const packed = tempDb();
    const gz = join(packed.dir, 'dc_mpd_2014-2018_normalized.csv.gz');
    writeFileSync(gz, gzipSync(readFileSync(DC_SAMPLE)));
    const a = await importFile(plain.db, DC_SAMPLE, { dataset: 'dc', worker });
    const b = await importFile(packed.db, gz, { dataset: 'dc', worker });
    expect(a).toMatchObject({ rows: 31_787, imported: 31_787, duplicates: 196, rejected: 0 });
    expect(counts(b)).toEqual(counts(a));
    expect(stored(packed.db)).toEqual(stored(plain.db));
    plain.db.close();
    packed.db.close();
  });

  it('a real gzipped export (FOIA) matches its own decompressed copy, and names the dataset without .csv.gz', async () => {
    const gz = join(TEST_DATA, 'dc/dc_foia_2006-2013_incidents.csv.gz');
    const plain = tempDb();
    const packed = tempDb();
    const csv = join(plain.dir, 'dc_foia_2006-2013_incidents.csv');
    writeFileSync(csv, gunzipSync(readFileSync(gz)));
    const a = await importFile(plain.db, csv);
    const b = await importFile(packed.db, gz);
    expect(b.dataset).toBe('dc_foia_2006-2013_incidents');
    expect(counts(b)).toEqual(counts(a));
    expect(stored(packed.db)).toEqual(stored(plain.db));
    // The import is recorded by the bytes the analyst imported: the same .gz again adds nothing.
    const again = await importFile(packed.db, gz);
    expect(again).toMatchObject({ alreadyImported: true, imported: 0 });
    plain.db.close();
    packed.db.close();
  });

  it('a gzipped workbook (.xlsx.gz) gives the events of the workbook', async () => {
    const xlsx = join(TEST_DATA, 'dc/mpd_raw/ShotSpotter_Public_Data_Q1-Q2_2018.xlsx');
    const plain = tempDb();
    const packed = tempDb();
    const gz = join(packed.dir, `${basename(xlsx)}.gz`);
    writeFileSync(gz, gzipSync(readFileSync(xlsx)));
    const a = await importFile(plain.db, xlsx, { dataset: 'q' });
    const b = await importFile(packed.db, gz, { dataset: 'q' });
    expect(a.rows).toBe(2_275);
    expect(counts(b)).toEqual(counts(a));
    expect(stored(packed.db)).toEqual(stored(plain.db));
    plain.db.close();
    packed.db.close();
  });

  it.each([
    ['truncated', (b: Buffer) => b.subarray(0, Math.floor(b.length * 0.6)), /ends early/],
    [
      'corrupt',
      (b: Buffer) => {
        const c = Buffer.from(b);
        for (let i = 2_000; i < 2_400; i++) c[i] ^= 0x5a;
        return c;
      },
      /corrupt/,
    ],
  ])(
    'a %s .gz is a one-line DataError naming the file, and the database is left as it was',
    async (_kind, damage, why) => {
      const { db, dir } = tempDb();
      await importFile(db, join(TEST_DATA, 'oakland/OakShots_latlong.csv.gz'), { dataset: 'oak' });
      const before = snapshot(db);
      const bad = join(dir, 'export.csv.gz');
      writeFileSync(bad, damage(gzipSync(readFileSync(DC_SAMPLE))));
      for (const worker of [false, true]) {
        const err = await importFile(db, bad, { dataset: 'dc', worker }).then(
          () => null,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(DataError);
        const msg = (err as Error).message;
        expect(msg.split('\n')).toHaveLength(1);
        expect(msg).toContain(bad);
        expect(msg).toMatch(why);
        expect(snapshot(db)).toBe(before);
      }
      db.close();
    },
  );

  it('shotcast import of a truncated .gz exits 1 with one line and writes nothing', async () => {
    const { db, dir, path } = tempDb();
    db.close();
    const bad = join(dir, 'alerts.csv.gz');
    const whole = gzipSync(readFileSync(DC_SAMPLE));
    writeFileSync(bad, whole.subarray(0, whole.length - 5_000));
    let stderr = '';
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
    let code: number;
    try {
      code = await runCli(['import', bad, '--db', path, '--dataset', 'dc']);
    } finally {
      err.mockRestore();
    }
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('alerts.csv.gz');
    expect(stderr).not.toMatch(/\bat .*\.ts:\d+/);
    const { openDb } = await import('../db/connection.ts');
    const after = openDb(path);
    expect(after.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 0 });
    expect(after.prepare('SELECT COUNT(*) AS n FROM datasets').get()).toEqual({ n: 0 });
    after.close();
  });
});
