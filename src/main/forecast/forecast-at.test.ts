import { describe, expect, it } from 'vitest';
import { openDb } from '../db/connection.ts';
import { insertEvents } from '../evaluate/testing/fixtures.ts';
import { forecastAt } from './forecast-at.ts';
// Every forecaster and step scorer, registered as the app's composition root does.
import '../app/wiring.ts';

const NY = 'America/New_York';

describe('forecastAt', () => {
  const db = openDb(':memory:');
  const at = (iso: string) => Date.parse(iso);
  // Cell 0 (NW) every day of the first week of March 2018; cell 3 (SE) on March 10 (after the cut-off).
  insertEvents(db, 'x', NY, [
    ...[1, 2, 3, 4, 5, 6, 7].map((d) => ({
      utcMs: at(`2018-03-0${d}T15:00:00Z`),
      lat: 1.5,
      lon: 0.5,
      type: 'single' as const,
    })),
    { utcMs: at('2018-03-08T04:59:59Z'), lat: 0.5, lon: 0.5, type: 'multiple' as const }, // 23:59:59 local on Mar 7
    { utcMs: at('2018-03-10T15:00:00Z'), lat: 0.5, lon: 1.5, type: 'single' as const },
  ]);
  const base = {
    dataset: 'x',
    grid: { bbox: [0, 0, 2, 2] as [number, number, number, number], rows: 2, cols: 2 },
  };

  it('forecasts a local day from the events strictly before it', async () => {
    const f = await forecastAt(db, { ...base, step: { unit: 'day' }, at: '2018-03-08', model: 'counts-all' });
    expect([f.stepStart, f.stepEnd]).toEqual(['2018-03-08T00:00:00-05:00', '2018-03-09T00:00:00-05:00']);
    // 7 days of history: cell 0 has 7 events, cell 2 one; the March 10 event is not seen.
    expect(Array.from(f.risk)).toEqual([1, 0, 1 / 7, 0].map((v) => Math.fround(v)));
    expect(Array.from(f.studyMask)).toEqual([1, 0, 1, 0]);
    expect(f.cutoffMs).toBe(at('2018-03-08T05:00:00Z'));
  });

  it('refuses a forecast with zero risk in every study cell, saying why', async () => {
    // Persistence for March 10 repeats March 9, which had no event.
    await expect(
      forecastAt(db, { ...base, step: { unit: 'day' }, at: '2018-03-10', model: 'persistence' }),
    ).rejects.toThrow(
      /^the forecast of persistence for 2018-03-10 is zero in every cell: the model gives no cell any risk from the 8 events before it$/,
    );
    // A grid away from every event, scored on the whole of it.
    const far = { bbox: [10, 10, 12, 12] as [number, number, number, number], rows: 2, cols: 2 };
    const square = {
      type: 'Polygon',
      coordinates: [
        [
          [10, 10],
          [12, 10],
          [12, 12],
          [10, 12],
          [10, 10],
        ],
      ],
    };
    await expect(
      forecastAt(db, {
        ...base,
        grid: far,
        studyArea: square,
        step: { unit: 'day' },
        at: '2018-03-08',
        model: 'kde',
      }),
    ).rejects.toThrow(
      /zero in every cell: all 8 events of dataset 'x' before it lie outside the grid's bounding box$/,
    );
    const ok = await forecastAt(db, { ...base, step: { unit: 'day' }, at: '2018-03-08', model: 'kde' });
    expect([ok.events, ok.typedEvents]).toEqual([8, 8]);
  });

  it('counts untyped events in the history, and says how many are typed', async () => {
    const u = openDb(':memory:');
    insertEvents(u, 'u', NY, [
      { utcMs: at('2018-03-01T15:00:00Z'), lat: 1.5, lon: 0.5, type: 'unknown' },
      { utcMs: at('2018-03-02T15:00:00Z'), lat: 1.5, lon: 0.5, type: 'unknown' },
      { utcMs: at('2018-03-03T15:00:00Z'), lat: 0.5, lon: 1.5, type: 'single' },
    ]);
    const f = await forecastAt(u, {
      ...base,
      dataset: 'u',
      step: { unit: 'day' },
      at: '2018-03-04',
      model: 'counts-all',
    });
    expect(Array.from(f.risk)).toEqual([2 / 3, 0, 0, 1 / 3].map((v) => Math.fround(v)));
    expect([f.events, f.typedEvents]).toEqual([3, 1]);
    u.close();
  });

  it('forecasts the step containing a local time, over a horizon, through DST', async () => {
    const f = await forecastAt(db, {
      ...base,
      step: { unit: 'day' },
      at: '2018-03-11T14:30',
      model: 'persistence',
      horizon: 2,
    });
    expect([f.stepStart, f.stepEnd]).toEqual(['2018-03-11T00:00:00-05:00', '2018-03-12T00:00:00-04:00']);
    expect(f.risks.length).toBe(2);
    // Persistence: March 10's counts, for both horizon steps.
    expect(Array.from(f.risk)).toEqual([0, 0, 0, 1]);
    expect(Array.from(f.risks[1])).toEqual([0, 0, 0, 1]);
  });

  it('says when there is no history before the step', async () => {
    await expect(
      forecastAt(db, { ...base, step: { unit: 'day' }, at: '2018-03-01', model: 'kde' }),
    ).rejects.toThrow(/no events before 2018-03-01/);
  });
});
