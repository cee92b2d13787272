import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DC_SAMPLE, TEST_DATA } from '../../../test/paths.ts';
import type { WritableDb } from '../db/connection.ts';
import { importFile, importFiles, type ImportReport } from './import.ts';
import { tempDb } from './testing.ts';

/** Every count here is the one test/data/README.md (the source's own data README) states for the file. */
const DC = join(TEST_DATA, 'dc');

let db: WritableDb;
beforeAll(() => {
  db = tempDb().db;
});
afterAll(() => db.close());

function perYear(dataset: string): Record<string, number> {
  const rows = db
    .prepare(
      `SELECT substr(e.local_time, 1, 4) AS y, COUNT(*) AS n FROM events_local e JOIN datasets d ON d.id = e.dataset_id
       WHERE d.name = ? GROUP BY y ORDER BY y`,
    )
    .all(dataset) as { y: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.y, r.n]));
}

/**
 * The events of a dataset as comparable text, one line per event. Which row of a duplicate pair is
 * flagged depends on reading order (the workbook stores its 2017 sheet first), so the flag is left out.
 */
function eventSet(dataset: string): string[] {
  return (
    db
      .prepare(
        `SELECT e.source_id || '|' || e.utc_ms || '|' || e.type || '|' || e.lat || '|' || e.lon || '|' ||
           e.local_time AS k
         FROM events_local e JOIN datasets d ON d.id = e.dataset_id WHERE d.name = ?`,
      )
      .all(dataset) as { k: string }[]
  )
    .map((r) => r.k)
    .sort();
}

describe('real files match their README', () => {
  let mpd: ImportReport;

  it('DC MPD normalized CSV: 31,787 rows, 196 duplicates, types, range, years', async () => {
    mpd = await importFile(db, DC_SAMPLE, { dataset: 'mpd' });
    expect(mpd).toMatchObject({
      dataset: 'mpd',
      format: 'mpd-normalized',
      tz: 'America/New_York',
      rows: 31_787,
      imported: 31_787,
      duplicates: 196,
      rejected: 0,
      byType: { single: 11_240, multiple: 17_773, gunshot_or_firecracker: 2_774, unknown: 0 },
      from: '2014-01-01T00:00:02',
      to: '2018-10-01T23:47:59',
    });
    expect(perYear('mpd')).toEqual({
      '2014': 9_637,
      '2015': 7_952,
      '2016': 5_872,
      '2017': 4_882,
      '2018': 3_444,
    });
    // 195 duplicate groups: 196 flagged rows point at 195 distinct first events.
    const groups = db
      .prepare(`SELECT COUNT(DISTINCT duplicate_of) AS n FROM events WHERE duplicate_of IS NOT NULL`)
      .get() as { n: number };
    expect(groups.n).toBe(195);
    const refs = db.prepare(`SELECT COUNT(*) AS n FROM events WHERE source_id = '#REF!'`).get() as {
      n: number;
    };
    expect(refs.n).toBe(4);
  });

  it('DC MPD raw files (two workbooks, one sheet per year, and the Q3 CSV) give exactly the normalized events', async () => {
    const raw = join(DC, 'mpd_raw');
    const [wb1417, wb2018, q3] = await importFiles(
      db,
      [
        join(raw, 'ShotSpotter_Data_14-17_180213_0.xlsx'),
        join(raw, 'ShotSpotter_Public_Data_Q1-Q2_2018.xlsx'),
        join(raw, 'Shotspotter_Public_Data_Q3_12042018.csv'),
      ],
      { dataset: 'mpd-raw' },
    );
    expect([wb1417.rows, wb2018.rows, q3.rows]).toEqual([28_343, 2_275, 1_169]);
    expect([wb1417.format, wb2018.format, q3.format]).toEqual(['mpd-raw', 'mpd-raw', 'mpd-raw']);
    expect(wb1417.sheets?.map((s) => s.name).sort()).toEqual(['2014', '2015', '2016', '2017']);
    expect(wb1417.rejected + wb2018.rejected + q3.rejected).toBe(0);
    expect(wb1417.duplicates + wb2018.duplicates + q3.duplicates).toBe(196);
    expect(eventSet('mpd-raw')).toEqual(eventSet('mpd'));
  });

  it('DC FOIA CSV: 39,066 rows, the (0.001, -0.002) row rejected, 424 duplicates', async () => {
    const r = await importFile(db, join(DC, 'dc_foia_2006-2013_incidents.csv.gz'), { dataset: 'foia' });
    expect(r).toMatchObject({
      format: 'dc-foia',
      rows: 39_066,
      imported: 39_065,
      rejected: 1,
      rejectsByReason: { coordinates_zero: 1 },
      duplicates: 424,
      byType: { single: 18_338, multiple: 20_727, gunshot_or_firecracker: 0, unknown: 0 },
      from: '2006-01-27T03:35:11',
      to: '2013-06-24T12:53:11',
    });
    // README per year, less the rejected 2012 row.
    expect(perYear('foia')).toEqual({
      '2006': 1_808,
      '2007': 2_649,
      '2008': 5_761,
      '2009': 9_011,
      '2010': 5_745,
      '2011': 6_669,
      '2012': 5_384,
      '2013': 2_038,
    });
    const rej = db
      .prepare(`SELECT line, reason, raw FROM rejects WHERE import_id = (SELECT MAX(id) FROM imports)`)
      .get();
    expect(rej).toEqual({
      line: 39_067,
      reason: 'coordinates_zero',
      raw: 'WashingtonDC1D,49-49693,2012-11-08 11:07:54.617000,Multiple Gunshots,-0.002,0.001',
    });
    // Milliseconds are kept in the instant.
    const ms = db.prepare(`SELECT utc_ms % 1000 AS ms FROM events WHERE source_id = '53-3'`).get() as {
      ms: number;
    };
    expect(ms.ms).toBe(313);
  });

  it('DC FOIA original workbook (header under a title block) gives the same events as its CSV', async () => {
    const r = await importFile(db, join(DC, 'foia_raw', 'WashingtonDC_Incidents_2006-2013_Raw_Data.xlsx'), {
      dataset: 'foia-xlsx',
    });
    expect(r).toMatchObject({
      format: 'dc-foia',
      rows: 39_066,
      imported: 39_065,
      rejected: 1,
      duplicates: 424,
    });
    expect(r.sheets?.[0].header).toBe(7);
    expect(eventSet('foia-xlsx')).toEqual(eventSet('foia'));
  });

  it('JTL numshots CSV: 67,580 rows, 696 duplicates, rounds kept, no type', async () => {
    const r = await importFile(db, join(DC, 'dc_jtl_2006-2016_numshots.csv.gz'), { dataset: 'jtl' });
    expect(r).toMatchObject({
      format: 'jtl-numshots',
      rows: 67_580,
      imported: 67_580,
      rejected: 0,
      duplicates: 696,
      byType: { single: 0, multiple: 0, gunshot_or_firecracker: 0, unknown: 67_580 },
      from: '2006-01-27T03:35:11',
      to: '2016-02-11T23:17:24',
    });
    expect(perYear('jtl')).toEqual({
      '2006': 1_810,
      '2007': 2_649,
      '2008': 5_762,
      '2009': 9_048,
      '2010': 6_088,
      '2011': 8_565,
      '2012': 6_409,
      '2013': 8_995,
      '2014': 9_637,
      '2015': 7_951,
      '2016': 666,
    });
    const rounds = db
      .prepare(
        `SELECT SUM(rounds = 1) AS ones, MAX(rounds) AS max FROM events WHERE dataset_id = (SELECT id FROM datasets WHERE name = 'jtl')`,
      )
      .get();
    expect(rounds).toEqual({ ones: 34_424, max: 209 });
  });

  it('Oakland CAD CSV: 17,185 rows, 12 placeholder points rejected, Los Angeles time', async () => {
    const r = await importFile(db, join(TEST_DATA, 'oakland', 'OakShots_latlong.csv.gz'), {
      dataset: 'oakland',
    });
    expect(r).toMatchObject({
      format: 'oakland-cad',
      city: 'Oakland',
      tz: 'America/Los_Angeles',
      rows: 17_185,
      imported: 17_173,
      rejected: 12,
      rejectsByReason: { placeholder_coordinates: 12 },
      from: '2008-01-02T00:21:00',
      to: '2013-10-06T20:02:00',
      // Same minute and same geocoded point: the 30 repeated (time, address) calls.
      duplicates: 30,
    });
    expect(r.byType.unknown).toBe(17_173);
    // 2013-10-06 20:02 PDT is 03:02 UTC the next day.
    const last = db
      .prepare(
        `SELECT MAX(utc_ms) AS t FROM events WHERE dataset_id = (SELECT id FROM datasets WHERE name = 'oakland')`,
      )
      .get() as { t: number };
    expect(new Date(last.t).toISOString()).toBe('2013-10-07T03:02:00.000Z');
  });
});
