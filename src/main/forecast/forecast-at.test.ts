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
