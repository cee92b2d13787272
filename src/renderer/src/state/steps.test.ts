import { describe, expect, it } from 'vitest';
import { isoLocal, stepLabel } from './steps.ts';

const NY = 'America/New_York';
const H = 3_600_000;

describe('stepLabel', () => {
  it('names the day, its weekday and, below a day, the local hours', () => {
    const start = Date.parse('2018-09-29T04:00:00Z'); // midnight EDT, a Saturday
    expect(stepLabel(NY, 'day', start, start + 24 * H)).toBe('2018-09-29 Sat');
    expect(stepLabel(NY, 'hour', start + 14 * H, start + 15 * H)).toBe('2018-09-29 Sat 14:00–15:00');
    expect(stepLabel(NY, 'shift', start + 16 * H, start + 24 * H)).toBe('2018-09-29 Sat 16:00–00:00');
    const monday = Date.parse('2018-09-24T04:00:00Z');
    expect(stepLabel(NY, 'week', monday, monday + 7 * 24 * H)).toBe('2018-09-24 Mon, the week to 2018-09-30');
  });

  it('tells the two 01:00 hours of the autumn clock change apart', () => {
    const first = Date.parse('2018-11-04T05:00:00Z'); // 01:00 EDT
    expect(isoLocal(NY, first + H)).toBe('2018-11-04T01:00:00-05:00');
    const a = stepLabel(NY, 'hour', first, first + H);
    const b = stepLabel(NY, 'hour', first + H, first + 2 * H);
    expect(a).toBe('2018-11-04 Sun 01:00–01:00 (-04:00 → -05:00)');
    expect(b).toBe('2018-11-04 Sun 01:00–02:00');
    // A day that holds the change is labelled by its date alone (23- and 25-hour days included).
    expect(stepLabel(NY, 'day', Date.parse('2018-11-04T04:00:00Z'), Date.parse('2018-11-05T05:00:00Z'))).toBe(
      '2018-11-04 Sun',
    );
  });
});
