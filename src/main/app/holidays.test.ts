/**
 * A dataset's own holiday dates, set once (the Data panel, `shotcast datasets --set-holidays`), are what
 * every later forecast, briefing volume and evaluation of the dataset uses, beside the built-in list.
 * Checked on a synthetic city whose one local festival day (June 19th) is loud every year.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type WritableDb } from '../db/connection.ts';
import { listDatasets } from '../db/queries/datasets.ts';
import { importFile } from '../ingest/import.ts';
import { loadHistory } from '../history/load.ts';
import { pdfText } from '../briefing/testing/poppler.ts';
import { brief } from './brief.ts';
import { evaluate } from './evaluate.ts';
import { forecast } from './forecast.ts';
import { setDatasetHolidays } from './manage.ts';

const dir = mkdtempSync(join(tmpdir(), 'shotcast-holidays-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ORDINARY = 3;
const FESTIVAL = 45;
const GRID = { bbox: [38.88, -77.04, 38.94, -76.98] as [number, number, number, number], rows: 6, cols: 6 };

/** 2015-01-01 .. 2018-07-31: three events a day at noon-ish in three cells, 45 on every June 19th. */
function cityFile(): string {
  const lines = ['ID,TYPE,DATETIME,SOURCE,LATITUDE,LONGITUDE'];
  let id = 0;
  const spots = [
    [38.905, -77.015],
    [38.915, -77.005],
    [38.925, -76.995],
  ];
  for (let t = Date.UTC(2015, 0, 1); t <= Date.UTC(2018, 6, 31); t += 86_400_000) {
    const d = new Date(t);
    const date = d.toISOString().slice(0, 10);
    const n = date.endsWith('-06-19') ? FESTIVAL : ORDINARY;
    for (let k = 0; k < n; k++) {
      const [lat, lon] = spots[k % spots.length];
      const min = String(k % 60).padStart(2, '0');
      lines.push(
        `${++id},Single_Gunshot,${date}T${12 + Math.floor(k / 60)}:${min}:00,WashingtonDC5D,${lat},${lon}`,
      );
    }
  }
  const file = join(dir, 'city.csv');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

let db: WritableDb;
const dbPath = join(dir, 'city.db');

beforeAll(async () => {
  db = openDb(dbPath);
  await importFile(db, cityFile(), { dataset: 'city', tz: 'America/New_York' });
});
afterAll(() => db.close());

const calendarFor = (at: string) =>
  forecast(db, {
    dataset: 'city',
    at,
    model: { kind: 'classical', model: { name: 'calendar', params: {} } },
    grid: GRID,
    step: { unit: 'day' },
  });

describe("a dataset's own holidays", () => {
  it('are stored sorted and unique, listed with the dataset, and refused whole when one is not a date', async () => {
    const set = await setDatasetHolidays(db, 'city', ' 11-11, 2018-05-28,11-11 ');
    expect(set).toMatchObject({ name: 'city', from: [], to: ['11-11', '2018-05-28'], runs: 0, models: 0 });
    expect(listDatasets(db)[0].holidays).toEqual(['11-11', '2018-05-28']);
    for (const bad of ['2018-02-30', '28/05/2018', '13-01'])
      await expect(setDatasetHolidays(db, 'city', `06-19,${bad}`)).rejects.toThrow(
        expect.objectContaining({
          name: 'UsageError',
          message: `holiday '${bad}' must be a date YYYY-MM-DD or a yearly MM-DD`,
        }),
      );
    await expect(setDatasetHolidays(db, 'nowhere', '06-19')).rejects.toThrow(/no dataset named 'nowhere'/);
    expect(listDatasets(db)[0].holidays).toEqual(['11-11', '2018-05-28']);
    // An empty list clears them.
    expect((await setDatasetHolidays(db, 'city', '')).to).toEqual([]);
    expect(listDatasets(db)[0].holidays).toEqual([]);
  });

  it('move the forecast of that day, name it, and leave it out of the typical day; evaluations record them', async () => {
    await setDatasetHolidays(db, 'city', []);
    const before = await calendarFor('2018-06-19');
    const ordinary = await calendarFor('2018-06-12');
    // Without them June 19th is an ordinary Tuesday: nothing named, and the same forecast as the
    // Tuesday before it; the typical Tuesday is the plain three a day (last June 19th was a Monday).
    expect(before.volume.holiday).toBeNull();
    expect(before.volume.expected / ordinary.volume.expected).toBeGreaterThan(0.9);
    expect(before.volume.expected / ordinary.volume.expected).toBeLessThan(1.1);
    expect(before.volume.typical).toBeCloseTo(ORDINARY, 6);

    await setDatasetHolidays(db, 'city', ['06-19']);
    expect(
      loadHistory(db, 'city', { grid: GRID, step: { unit: 'day' }, end: '2018-06-19' }).holidays,
    ).toEqual(['06-19']);
    // A request's own dates come on top of the dataset's.
    expect(
      loadHistory(db, 'city', {
        grid: GRID,
        step: { unit: 'day' },
        end: '2018-06-19',
        holidays: ['2018-07-02'],
      }).holidays,
    ).toEqual(['06-19', '2018-07-02']);

    const after = await calendarFor('2018-06-19');
    expect(after.volume.holiday).toBe("one of the dataset's holidays");
    expect(after.volume.text).toMatch(
      /^expected \d+(\.\d)? \(typical Tuesday 3\.0; one of the dataset's holidays\)$/,
    );
    // The calendar baseline's holiday factor, fitted on the last June 19th (45 against 3 a day), lifts
    // the day's expected count most of the way to 15 times an ordinary day's (it is shrunk towards 1).
    const lift = after.volume.expected / ordinary.volume.expected;
    expect(lift).toBeGreaterThan(5);
    expect(lift).toBeLessThan((FESTIVAL / ORDINARY) * 1.1);
    // An ordinary day is forecast a little lower than before: the festival no longer inflates the
    // trailing year's mean (3.12 → 3 a day) and June's factor.
    const plain = await calendarFor('2018-06-12');
    expect(plain.volume.holiday).toBeNull();
    expect(plain.volume.expected / ordinary.volume.expected).toBeLessThan(0.99);
    expect(plain.volume.expected / ordinary.volume.expected).toBeGreaterThan(0.88);

    const run = await evaluate(
      { db, dbPath: ':memory:' },
      {
        dataset: 'city',
        grid: GRID,
        step: { unit: 'day' },
        models: 'calendar',
        testFrom: '2018-06-01',
        testTo: '2018-06-30',
      },
    );
    expect(run.result.options.holidays).toEqual(['06-19']);

    // The briefing of that day names it beside the typical Tuesday, and its provenance lists the date.
    const { pdf, report } = await brief(
      { db, dbPath: ':memory:' },
      {
        dataset: 'city',
        at: '2018-06-19',
        grid: GRID,
        model: { kind: 'classical', model: { name: 'calendar', params: {} } },
      },
    );
    expect(report.volume.holiday).toBe("one of the dataset's holidays");
    expect(report.provenance.holidays).toEqual(['06-19']);
    // Three study cells are too few for a record at 5 % of the area: said so, not "held 0 %".
    expect(report.skill?.sentence).toMatch(/^The study area has 3 cells with past detections, too few for/);
    expect(report.volume.text).toMatch(/\(typical Tuesday 3\.0; one of the dataset's holidays\)$/);
    expect(pdfText(pdf).replace(/\s+/g, ' ')).toContain('Holidays besides the built-in ones: 06-19');
  }, 60_000);
});
