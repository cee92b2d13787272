import { describe, expect, it } from 'vitest';
import { makeGrid } from '../grid/spec.ts';
import { localToUtc } from '../grid/time.ts';
import { countText, suggestUnits, volumeFrom, type Volume } from './volume.ts';

const TZ = 'America/New_York';
const grid = makeGrid({ bbox: [38.8, -77.1, 39.0, -76.9], rows: 2, cols: 2 });
// Cell 3 (south-east) is outside the study area; events there and outside the bbox never count.
const studyMask = Uint8Array.from([1, 1, 1, 0]);
const IN = [
  { lat: 38.95, lon: -77.05 },
  { lat: 38.95, lon: -76.95 },
  { lat: 38.85, lon: -77.05 },
];
const OUT = [
  { lat: 38.85, lon: -76.95 },
  { lat: 39.5, lon: -77.0 },
];
const DAY = 86_400_000;

/** Local dates from..to (exclusive), as YYYY-MM-DD. */
function dates(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t < Date.parse(`${to}T00:00:00Z`); t += DAY)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}
const weekday = (d: string) => new Date(`${d}T00:00:00Z`).getUTCDay();
const fireworks = (d: string) => {
  const m = Number(d.slice(5, 7));
  const day = Number(d.slice(8, 10));
  return (m === 12 && day >= 29) || (m === 1 && day <= 2) || (m === 7 && day <= 6);
};
const at = (d: string, hour: number) =>
  localToUtc(TZ, Number(d.slice(0, 4)), Number(d.slice(5, 7)), Number(d.slice(8, 10)), hour);

/** A varying number of events a day (by date), a spike in the fireworks windows, some that never count. */
function history(from: string, to: string) {
  const events: { utcMs: number; lat: number; lon: number; date: string }[] = [];
  dates(from, to).forEach((d, i) => {
    const n = 1 + ((i * 7) % 5) + (fireworks(d) ? 30 : 0);
    for (let k = 0; k < n; k++) events.push({ utcMs: at(d, 1 + (k % 22)), ...IN[k % 3], date: d });
    events.push({ utcMs: at(d, 12), ...OUT[i % 2], date: d });
  });
  return events.sort((a, b) => a.utcMs - b.utcMs);
}

describe('the volume of a forecast', () => {
  const risk = Float32Array.from([20, 15, 6.5, 100]);

  it("is the forecast's sum over study cells, beside the trailing year's mean over ordinary steps of that weekday", () => {
    const events = history('2016-01-01', '2018-07-04');
    const v = volumeFrom(
      { tz: TZ, grid, step: { unit: 'day' }, studyMask, risk, cutoffMs: at('2018-07-04', 0) },
      events,
      events[0].utcMs,
    );
    expect(v.expected).toBeCloseTo(41.5, 5);
    // Direct: Wednesdays from 2017-07-04 (365 days back) to 2018-07-03, fireworks dates left out.
    const wednesdays = dates('2017-07-04', '2018-07-04').filter((d) => weekday(d) === 3 && !fireworks(d));
    const inStudy = events.filter(
      (e) => wednesdays.includes(e.date) && IN.some((p) => p.lat === e.lat && p.lon === e.lon),
    );
    expect(v.typicalSteps).toBe(wednesdays.length);
    expect(v.typical).toBeCloseTo(inStudy.length / wednesdays.length, 10);
    expect(v).toMatchObject({ like: 'Wednesday', holiday: 'July 4th' });
    expect(v.text).toBe(
      `expected 42 (typical Wednesday ${(inStudy.length / wednesdays.length).toFixed(1)}; July 4th)`,
    );
  });

  it('reaches back no further than the first event, names an extra holiday, and leaves it out of the typical figure', () => {
    const events = history('2018-03-01', '2018-05-30');
    const cutoffMs = at('2018-05-28', 0);
    const v = volumeFrom(
      { tz: TZ, grid, step: { unit: 'day' }, studyMask, risk, cutoffMs, holidays: ['05-21', '2018-05-28'] },
      events.filter((e) => e.utcMs < cutoffMs),
      events[0].utcMs,
    );
    const mondays = dates('2018-03-01', '2018-05-28').filter((d) => weekday(d) === 1 && d !== '2018-05-21');
    const n = events.filter(
      (e) => mondays.includes(e.date) && IN.some((p) => p.lat === e.lat && p.lon === e.lon),
    ).length;
    expect(v.typicalSteps).toBe(mondays.length);
    expect(v.typical).toBeCloseTo(n / mondays.length, 10);
    expect(v.holiday).toBe("one of the dataset's holidays");
  });

  it('compares a shift with the same shift of that weekday, and says when there is none', () => {
    const events = history('2018-01-10', '2018-02-01');
    const cutoffMs = at('2018-01-31', 8);
    const v = volumeFrom(
      { tz: TZ, grid, step: { unit: 'shift', shiftStartHour: 0 }, studyMask, risk, cutoffMs },
      events.filter((e) => e.utcMs < cutoffMs),
      events[0].utcMs,
    );
    const days = dates('2018-01-10', '2018-01-31').filter((d) => weekday(d) === 3);
    const n = events.filter(
      (e) =>
        days.includes(e.date) &&
        e.utcMs >= at(e.date, 8) &&
        e.utcMs < at(e.date, 16) &&
        IN.some((p) => p.lat === e.lat && p.lon === e.lon),
    ).length;
    expect(v.like).toBe('Wednesday 08:00 shift');
    expect(v.typical).toBeCloseTo(n / days.length, 10);
    const none = volumeFrom(
      { tz: TZ, grid, step: { unit: 'day' }, studyMask, risk, cutoffMs: at('2018-01-12', 0) },
      events.filter((e) => e.utcMs < at('2018-01-12', 0)),
      events[0].utcMs,
    );
    expect(none.typical).toBeNull();
    expect(none.text).toBe('expected 42 (no Friday in the history before it)');
  });
});

describe('the unit suggestion', () => {
  const v = (expected: number, typical: number | null): Volume => ({
    expected,
    typical,
    typicalSteps: typical === null ? 0 : 52,
    like: 'Saturday',
    holiday: null,
    text: '',
  });

  it('scales the routine number by expected ÷ typical, rounded, within 1..20, and states the rule', () => {
    expect(suggestUnits(v(41, 17), 5).units).toBe(12);
    expect(suggestUnits(v(41, 17), 5).rule).toBe(
      '5 routine units × expected ÷ typical Saturday detections (41 ÷ 17), rounded, between 1 and 20',
    );
    expect(suggestUnits(v(6, 17), 5).units).toBe(2);
    expect(suggestUnits(v(0.1, 17), 5).units).toBe(1);
    expect(suggestUnits(v(400, 17), 5).units).toBe(20);
    expect(suggestUnits(v(4, null), 5)).toMatchObject({ units: 5 });
  });

  it('prints whole numbers from 10 up and one decimal below', () => {
    expect([countText(41.4), countText(9.96), countText(9.94), countText(0.25)]).toEqual([
      '41',
      '10',
      '9.9',
      '0.3',
    ]);
  });
});
