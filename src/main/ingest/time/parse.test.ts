import { describe, expect, it } from 'vitest';
import {
  excelSerialToNaive,
  excelTimeToMs,
  formatNaive,
  parseAnyDateTime,
  parseIsoDateTime,
  parseTimeOfDay,
  parseUsDate,
  parseUsDateTime,
  type ZoneMark,
} from './parse.ts';

const iso = (naive: number) => new Date(naive).toISOString();

describe('date and time parsers', () => {
  it('reads ISO local date-times with T or space, seconds and fractions', () => {
    expect(iso(parseIsoDateTime('2014-01-01T00:00:02'))).toBe('2014-01-01T00:00:02.000Z');
    expect(iso(parseIsoDateTime('2006-01-27 03:35:11.313000'))).toBe('2006-01-27T03:35:11.313Z');
    expect(iso(parseIsoDateTime('2016-02-29 23:59'))).toBe('2016-02-29T23:59:00.000Z');
    expect(iso(parseIsoDateTime('2018-10-01'))).toBe('2018-10-01T00:00:00.000Z');
  });

  it('reports an explicit zone marker instead of ignoring it', () => {
    const mark: ZoneMark = { offsetMinutes: null };
    expect(iso(parseIsoDateTime('2018-07-01T04:25:49Z', mark))).toBe('2018-07-01T04:25:49.000Z');
    expect(mark.offsetMinutes).toBe(0);
    parseIsoDateTime('2018-07-01T00:25:49-04:00', mark);
    expect(mark.offsetMinutes).toBe(-240);
    parseIsoDateTime('2018-07-01T00:25:49', mark);
    expect(mark.offsetMinutes).toBeNull();
  });

  it('refuses impossible dates and malformed text', () => {
    for (const bad of [
      '2017-02-29T00:00:00',
      '2018-13-01 00:00',
      '2018-01-01T24:00:00',
      '2018-01-01T12:60',
      'yesterday',
      '2018/01/01x',
      '',
    ]) {
      expect(parseAnyDateTime(bad), bad).toBeNaN();
    }
  });

  it('reads US dates with 4- and 2-digit years, and times with or without seconds and AM/PM', () => {
    expect(iso(parseUsDate('7/1/2018'))).toBe('2018-07-01T00:00:00.000Z');
    expect(iso(parseUsDateTime('1/3/08 0:42'))).toBe('2008-01-03T00:42:00.000Z');
    expect(iso(parseUsDateTime('12/31/99 11:59:59 PM'))).toBe('1999-12-31T23:59:59.000Z');
    expect(parseTimeOfDay('0:25:49')).toBe((25 * 60 + 49) * 1000);
    expect(parseTimeOfDay('12:00 AM')).toBe(0);
    expect(parseTimeOfDay('12:30 PM')).toBe(12.5 * 3_600_000);
    expect(parseTimeOfDay('13:00 PM')).toBeNaN();
    expect(parseUsDate('2/30/2018')).toBeNaN();
  });

  it('reads Excel serials in the 1900 system, rounding times to the resolution asked', () => {
    // 43101 is 2018-01-01; MPD writes 00:00:03 as 3/86400 of a day, with float noise.
    expect(iso(excelSerialToNaive(43101, 86_400_000))).toBe('2018-01-01T00:00:00.000Z');
    expect(excelTimeToMs(0.00003472222222222222, 1000)).toBe(3000);
    expect(iso(excelSerialToNaive(38744.149436493055, 1))).toBe('2006-01-27T03:35:11.313Z');
    expect(excelSerialToNaive(59, 1)).toBeNaN();
  });

  it('formats naive ms as a local ISO string to the second', () => {
    expect(formatNaive(Date.UTC(2014, 0, 1, 0, 0, 2, 999))).toBe('2014-01-01T00:00:02');
    expect(formatNaive(Date.UTC(1999, 11, 31, 23, 59, 59))).toBe('1999-12-31T23:59:59');
  });
});
