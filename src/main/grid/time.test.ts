import { describe, expect, it } from 'vitest';
import {
  buildTimeline,
  isFireworksDate,
  isoLocal,
  localToUtc,
  nextStepStart,
  parseLocal,
  stepIndexOf,
  stepStartAt,
} from './time.ts';

const NY = 'America/New_York';
const H = 3_600_000;
const z = (iso: string) => Date.parse(iso);

describe('local time in an IANA zone', () => {
  it('converts wall-clock times on both sides of DST', () => {
    expect(localToUtc(NY, 2018, 1, 15, 12)).toBe(z('2018-01-15T17:00:00Z'));
    expect(localToUtc(NY, 2018, 7, 15, 12)).toBe(z('2018-07-15T16:00:00Z'));
  });

  it('maps a time in the spring gap to just after the jump, and a fold to its first occurrence', () => {
    // 2018-03-11 02:30 does not exist in New York; clocks go 01:59:59 EST → 03:00 EDT.
    expect(localToUtc(NY, 2018, 3, 11, 2, 30)).toBe(z('2018-03-11T07:30:00Z'));
    expect(isoLocal(NY, localToUtc(NY, 2018, 3, 11, 2, 30))).toBe('2018-03-11T03:30:00-04:00');
    // 2018-11-04 01:30 happens twice; the first is EDT.
    expect(localToUtc(NY, 2018, 11, 4, 1, 30)).toBe(z('2018-11-04T05:30:00Z'));
  });

  it('prints ISO local times with their offset', () => {
    expect(isoLocal(NY, z('2018-01-01T05:00:00Z'))).toBe('2018-01-01T00:00:00-05:00');
    expect(isoLocal('Asia/Kolkata', z('2018-01-01T00:00:00Z'))).toBe('2018-01-01T05:30:00+05:30');
  });

  it('rejects unknown zones and malformed dates', () => {
    expect(() => localToUtc('Mars/Olympus', 2018, 1, 1)).toThrow(/unknown time zone 'Mars\/Olympus'/);
    expect(() => parseLocal(NY, '2018-13-01')).toThrow(/not a valid local time/);
    expect(() => parseLocal(NY, '01/02/2018')).toThrow(/YYYY-MM-DD/);
  });
});

describe('steps cut in local time', () => {
  it('a local day is 23 h on the spring DST day and 25 h on the autumn one', () => {
    const spring = parseLocal(NY, '2018-03-11');
    expect(nextStepStart(NY, { unit: 'day' }, spring) - spring).toBe(23 * H);
    const autumn = parseLocal(NY, '2018-11-04');
    expect(nextStepStart(NY, { unit: 'day' }, autumn) - autumn).toBe(25 * H);
    const plain = parseLocal(NY, '2018-06-01');
    expect(nextStepStart(NY, { unit: 'day' }, plain) - plain).toBe(24 * H);
  });

  it('day steps start at local midnight whatever the season', () => {
    const tl = buildTimeline(NY, { unit: 'day' }, z('2018-03-09T12:00:00Z'), z('2018-03-14T12:00:00Z'));
    expect(Array.from(tl.starts, (s) => isoLocal(NY, s))).toEqual([
      '2018-03-09T00:00:00-05:00',
      '2018-03-10T00:00:00-05:00',
      '2018-03-11T00:00:00-05:00',
      '2018-03-12T00:00:00-04:00',
      '2018-03-13T00:00:00-04:00',
      '2018-03-14T00:00:00-04:00',
      '2018-03-15T00:00:00-04:00',
    ]);
  });

  it('hour steps are real hours: 23 on the spring day, 25 on the autumn day', () => {
    const count = (day: string) => {
      const from = parseLocal(NY, day);
      const to = nextStepStart(NY, { unit: 'day' }, from);
      return buildTimeline(NY, { unit: 'hour' }, from, to).steps;
    };
    expect(count('2018-03-11')).toBe(23);
    expect(count('2018-11-04')).toBe(25);
  });

  it('8-hour shifts start at the configured local hour and run over midnight', () => {
    const step = { unit: 'shift' as const, shiftStartHour: 22 };
    // 03:00 local belongs to the shift that started 22:00 the day before.
    expect(isoLocal(NY, stepStartAt(NY, step, parseLocal(NY, '2018-06-02T03:00')))).toBe(
      '2018-06-01T22:00:00-04:00',
    );
    expect(isoLocal(NY, stepStartAt(NY, step, parseLocal(NY, '2018-06-02T06:00')))).toBe(
      '2018-06-02T06:00:00-04:00',
    );
    const tl = buildTimeline(
      NY,
      step,
      parseLocal(NY, '2018-11-03T22:00'),
      parseLocal(NY, '2018-11-04T22:00'),
    );
    const hours = Array.from(tl.starts.subarray(1), (s, i) => (s - tl.starts[i]) / H);
    // The shift holding the 01:00–02:00 fold is 9 h long.
    expect(hours).toEqual([9, 8, 8]);
  });

  it('weeks start on Monday at local midnight', () => {
    const s = stepStartAt(NY, { unit: 'week' }, parseLocal(NY, '2018-03-14T15:00'));
    expect(isoLocal(NY, s)).toBe('2018-03-12T00:00:00-04:00');
    expect(isoLocal(NY, nextStepStart(NY, { unit: 'week' }, s))).toBe('2018-03-19T00:00:00-04:00');
    const w = stepStartAt(NY, { unit: 'week' }, parseLocal(NY, '2018-03-11T12:00'));
    // The week of the spring change is one hour short.
    expect(s - w).toBe(7 * 24 * H - H);
  });

  it('finds the step of an instant, and −1 outside the timeline', () => {
    const tl = buildTimeline(NY, { unit: 'day' }, parseLocal(NY, '2018-03-10'), parseLocal(NY, '2018-03-13'));
    expect(tl.steps).toBe(3);
    expect(stepIndexOf(tl, parseLocal(NY, '2018-03-10'))).toBe(0);
    expect(stepIndexOf(tl, parseLocal(NY, '2018-03-11T23:59'))).toBe(1);
    expect(stepIndexOf(tl, parseLocal(NY, '2018-03-12'))).toBe(2);
    expect(stepIndexOf(tl, parseLocal(NY, '2018-03-13'))).toBe(-1);
    expect(stepIndexOf(tl, parseLocal(NY, '2018-03-09T23:59'))).toBe(-1);
  });

  it('knows the fireworks windows', () => {
    expect([
      isFireworksDate(12, 28),
      isFireworksDate(12, 29),
      isFireworksDate(1, 2),
      isFireworksDate(1, 3),
    ]).toEqual([false, true, true, false]);
    expect([
      isFireworksDate(6, 30),
      isFireworksDate(7, 1),
      isFireworksDate(7, 6),
      isFireworksDate(7, 7),
    ]).toEqual([false, true, true, false]);
  });
});
