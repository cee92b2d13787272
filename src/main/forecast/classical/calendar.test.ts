import { describe, expect, it } from 'vitest';
import { mulberry32, poissonKnuth } from '../../../shared/random.ts';
import '../all.ts';
import { createForecaster } from '../registry.ts';
import { calendar, fitFactors } from './calendar.ts';
import { feedOf } from '../testing.ts';
import { holidayCalendar, holidayOfStep, parseHolidayList } from '../holidays.ts';
import { parseLocal } from '../../grid/time.ts';

const DAY = 86_400_000;
const START = Date.UTC(2020, 0, 1);
// Known process: 40 events a day × a weekly cycle (Sunday first) × 8 on July 4th, 70 % in cell 0.
const WEEK = [1.6, 0.7, 0.7, 0.8, 0.9, 1.1, 1.4];
const truth = (d: number): number => {
  const t = new Date(START + d * DAY);
  const jul4 = t.getUTCMonth() === 6 && t.getUTCDate() === 4;
  return 40 * WEEK[t.getUTCDay()] * (jul4 ? 8 : 1);
};

function poisson(rand: () => number, mean: number): number {
  // Knuth for small means, a rounded normal for large ones (the test's truth is ≥ 28).
  if (mean > 30) {
    const g = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * g));
  }
  return poissonKnuth(rand, mean);
}

describe('calendar', () => {
  it('recovers the level, weekly cycle and holiday spike of a known process', async () => {
    const rand = mulberry32(8);
    const days = 365 * 3 + 1; // 2020-01-01 .. 2022-12-31
    const counts = Array.from({ length: days }, (_, d) => {
      const n = poisson(rand, truth(d));
      const a = Math.round(n * 0.7);
      return [a, n - a];
    });
    const feed = feedOf(counts, 1, 2);
    const cut = (Date.UTC(2022, 5, 1) - START) / DAY; // fit on everything before 2022-06-01
    const m = createForecaster('calendar:shrink=0');
    await m.fit(feed.view(cut));
    const jul4 = (Date.UTC(2022, 6, 4) - START) / DAY;
    let worst = 0;
    const cal = holidayCalendar();
    for (let d = cut; d < cut + 60; d++) {
      const r = (await m.predict(feed.view(d))) as Float32Array;
      const total = r[0] + r[1];
      const err = Math.abs(total - truth(d)) / truth(d);
      const kind = holidayOfStep(cal, 'UTC', { unit: 'day' }, START + d * DAY);
      if (d === jul4) {
        // One earlier July 4th to learn from: within 15 % of 8 × the day's weekly level.
        expect(err).toBeLessThan(0.15);
      } else if (kind) {
        // Other built-in days (no effect in this process) are fitted on one noisy occurrence each.
        expect(err).toBeLessThan(0.4);
      } else worst = Math.max(worst, err);
      // Spread by the KDE: the 70/30 split between the cells.
      expect(r[0] / total).toBeCloseTo(0.7, 1);
    }
    expect(worst).toBeLessThan(0.12);
  });

  it('carries no trend: its seasonal factors average 1, so the level is the trailing mean', async () => {
    // A falling series (the level halves over three years) with a weekly cycle. The trailing year's
    // mean lags the fall, so counts over trailing means run below 1 at every step of the fit; free
    // factors (version 1) carried that ratio into every forecast, version 2 averages each cycle to 1.
    const rand = mulberry32(3);
    const days = 365 * 3;
    const level = (d: number) => 40 * 2 ** (-d / 365 / 1.5);
    const counts = Array.from({ length: days }, (_, d) => {
      const n = poisson(rand, level(d) * WEEK[new Date(START + d * DAY).getUTCDay()]);
      return [n, 0];
    });
    const view = feedOf(counts, 1, 2).view(days);
    const v2 = calendar({});
    v2.fit(view);
    const f = v2.fitted()!;
    const mean = (a: Float64Array, w: (j: number) => number) =>
      Array.from(a).reduce((s, v, j) => s + v * w(j), 0) / Array.from(a).reduce((s, _, j) => s + w(j), 0);
    const monthDays = [31, 28.25, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    expect(mean(f.weekday, () => 1)).toBeCloseTo(1, 12);
    expect(mean(f.month, (j) => monthDays[j])).toBeCloseTo(1, 12);
    // The typical forecast is the trailing year's mean over its ordinary days (computed here) × the
    // weekday and month factors of the step.
    const cal = holidayCalendar();
    let sum = 0;
    let n = 0;
    for (let d = days - 365; d < days; d++) {
      if (holidayOfStep(cal, 'UTC', { unit: 'day' }, START + d * DAY)) continue;
      sum += counts[d][0];
      n++;
    }
    const next = new Date(START + days * DAY);
    const { typical } = v2.expectedTotal(view);
    expect(typical).toBeCloseTo((sum / n) * f.weekday[next.getUTCDay()] * f.month[next.getUTCMonth()], 9);
    // Version 1's free factors carry the fall on: the expected week is below the trailing mean.
    const v1 = calendar({ normalize: '0', monthShrink: '0' });
    v1.fit(view);
    const g = v1.fitted()!;
    expect(mean(g.weekday, () => 1) * mean(g.month, (j) => monthDays[j])).toBeLessThan(0.85);
  });

  it('shrinks month factors towards 1 by monthShrink typical steps (closed form, one pass)', () => {
    // One weekday, two months, no holidays: one cyclic pass sets the weekday factor to Σy/Σb, then
    // each month's factor to (Σy + k·ȳ) / (Σ b·w + k·ȳ) over its steps.
    const y = [10, 12, 8, 30, 34];
    const base = [10, 10, 10, 20, 20];
    const keys = [0, 0, 0, 6, 6].map((month) => ({ dow: 3, month, slot: 0, holiday: -1 }));
    const k = 4;
    const fit = fitFactors(y, base, keys, 1, 0, 1, false, k);
    const w = 94 / 70;
    const ybar = 94 / 5;
    expect(fit.weekday[3]).toBeCloseTo(w, 12);
    expect(fit.month[0]).toBeCloseTo((30 + k * ybar) / (30 * w + k * ybar), 12);
    expect(fit.month[6]).toBeCloseTo((64 + k * ybar) / (40 * w + k * ybar), 12);
    // Without shrinkage, the plain ratio.
    expect(fitFactors(y, base, keys, 1, 0, 1, false, 0).month[6]).toBeCloseTo(64 / (40 * w), 12);
  });

  it("forecasts the trailing year's type mix in every cell", async () => {
    const feed = feedOf(
      Array.from({ length: 400 }, (_, d) => [d % 4 === 0 ? 1 : 0, 1]),
      1,
      2,
    );
    const m = createForecaster('calendar');
    const view = feed.view(400);
    const f = await m.predictWithTypes!(view);
    // All counts are in the first type channel in feedOf: p(type 0) = (n + 0.5) / (n + 1.5).
    let n = 0;
    for (let d = 35; d < 400; d++) n += (d % 4 === 0 ? 1 : 0) + 1;
    expect(f.typeProbs![0]).toBeCloseTo((n + 0.5) / (n + 1.5), 6);
    expect(f.typeProbs![1]).toBeCloseTo((n + 0.5) / (n + 1.5), 6);
    expect(f.typeProbs![2]).toBeCloseTo(0.5 / (n + 1.5), 6);
  });
});

describe('holidays', () => {
  it('knows the built-in days, the fireworks season and extra dates', () => {
    const cal = holidayCalendar(['2018-05-28', '11-11']);
    expect(cal.kindOf(2018, 7, 4)).toBe('jul4');
    expect(cal.kindOf(2018, 7, 5)).toBe('jul5');
    expect(cal.kindOf(2018, 12, 31)).toBe('dec31');
    expect(cal.kindOf(2019, 1, 1)).toBe('jan1');
    expect(cal.kindOf(2018, 7, 6)).toBe('fireworks');
    expect(cal.kindOf(2018, 5, 28)).toBe('extra');
    expect(cal.kindOf(2019, 5, 28)).toBeNull();
    expect(cal.kindOf(2030, 11, 11)).toBe('extra');
    expect(cal.kindOf(2018, 3, 3)).toBeNull();
    expect(() => parseHolidayList('2018-02-30')).toThrow(/YYYY-MM-DD/);
    expect(() => parseHolidayList('July 4')).toThrow(/YYYY-MM-DD/);
    expect(parseHolidayList(' 07-05, 2018-05-28,07-05')).toEqual(['07-05', '2018-05-28']);
    expect(parseHolidayList('07-05 2018-05-28;\n11-11')).toEqual(['07-05', '11-11', '2018-05-28']);
    expect(() => parseHolidayList('07-05 July-4')).toThrow("holiday 'July-4' must be a date");
  });

  it('reads the local date of a step, and any day of a week', () => {
    const cal = holidayCalendar();
    const tz = 'America/New_York';
    // 2018-07-04 23:00 local is still July 4th; 00:30 the next day is July 5th.
    expect(holidayOfStep(cal, tz, { unit: 'hour' }, parseLocal(tz, '2018-07-04T23:00:00'))).toBe('jul4');
    expect(holidayOfStep(cal, tz, { unit: 'hour' }, parseLocal(tz, '2018-07-05T00:00:00'))).toBe('jul5');
    // The week starting Monday 2018-12-24 holds Dec 29 (fireworks season) and Dec 31.
    expect(holidayOfStep(cal, tz, { unit: 'week' }, parseLocal(tz, '2018-12-24'))).toBe('fireworks');
    expect(holidayOfStep(cal, tz, { unit: 'week' }, parseLocal(tz, '2018-03-05'))).toBeNull();
  });
});
