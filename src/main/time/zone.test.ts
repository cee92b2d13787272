import { describe, expect, it } from 'vitest';
import { ZoneConverter, naiveMs } from './zone.ts';

const MIN = 60_000;

/**
 * An independent reference: the wall time Intl shows for an instant, as naive ms. Every instant the
 * converter returns must show the wall time asked for (exact, fold), or that time plus the gap.
 */
const formats = new Map<string, Intl.DateTimeFormat>();
function wallOf(zone: string, utcMs: number): number {
  const f =
    formats.get(zone) ??
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  formats.set(zone, f);
  const p = Object.fromEntries(f.formatToParts(new Date(utcMs)).map((x) => [x.type, Number(x.value)]));
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
}

describe('ZoneConverter', () => {
  const ny = new ZoneConverter('America/New_York');

  it('reads ordinary local times with the offset in force (EST in winter, EDT in summer)', () => {
    expect(new Date(ny.toUtc(naiveMs(2018, 1, 15, 12, 0, 0, 0))).toISOString()).toBe(
      '2018-01-15T17:00:00.000Z',
    );
    expect(ny.lastKind).toBe('exact');
    expect(new Date(ny.toUtc(naiveMs(2018, 7, 4, 23, 30, 0, 0))).toISOString()).toBe(
      '2018-07-05T03:30:00.000Z',
    );
  });

  it('shifts a time in the spring-forward gap forward by the gap (02:30 → 03:30 EDT)', () => {
    const r = ny.resolveLocal(naiveMs(2018, 3, 11, 2, 30, 0, 0));
    expect(r.kind).toBe('gap');
    expect(new Date(r.utcMs).toISOString()).toBe('2018-03-11T07:30:00.000Z');
    expect(wallOf('America/New_York', r.utcMs)).toBe(naiveMs(2018, 3, 11, 3, 30, 0, 0));
    // The edges of the gap: 01:59:59 EST exists, 03:00 EDT exists.
    expect(ny.resolveLocal(naiveMs(2018, 3, 11, 1, 59, 59, 0)).kind).toBe('exact');
    expect(ny.resolveLocal(naiveMs(2018, 3, 11, 3, 0, 0, 0)).kind).toBe('exact');
    expect(ny.resolveLocal(naiveMs(2018, 3, 11, 2, 0, 0, 0)).kind).toBe('gap');
  });

  it('reads a time in the autumn fold as the earlier instant (01:30 EDT, not EST)', () => {
    const r = ny.resolveLocal(naiveMs(2018, 11, 4, 1, 30, 0, 0));
    expect(r.kind).toBe('fold');
    expect(new Date(r.utcMs).toISOString()).toBe('2018-11-04T05:30:00.000Z');
    expect(ny.resolveLocal(naiveMs(2018, 11, 4, 0, 59, 59, 0)).kind).toBe('exact');
    expect(ny.resolveLocal(naiveMs(2018, 11, 4, 2, 0, 0, 0)).kind).toBe('exact');
    expect(new Date(ny.toUtc(naiveMs(2018, 11, 4, 2, 0, 0, 0))).toISOString()).toBe(
      '2018-11-04T07:00:00.000Z',
    );
  });

  it.each([
    ['America/Los_Angeles', 2012, 3, 11, 2012, 11, 4],
    ['Europe/London', 2016, 3, 27, 2016, 10, 30],
    ['Australia/Sydney', 2017, 10, 1, 2017, 4, 2],
    ['Australia/Lord_Howe', 2018, 10, 7, 2018, 4, 1],
  ])('%s: every minute around both transitions agrees with Intl', (zone, gy, gm, gd, fy, fm, fd) => {
    const z = new ZoneConverter(zone);
    let gaps = 0;
    let folds = 0;
    for (const [y, m, d] of [
      [gy, gm, gd],
      [fy, fm, fd],
    ]) {
      const start = naiveMs(y, m, d, 0, 0, 0, 0);
      for (let t = start; t < start + 5 * 3_600_000; t += MIN) {
        const r = z.resolveLocal(t);
        const wall = wallOf(zone, r.utcMs);
        if (r.kind === 'gap') {
          gaps++;
          // Shifted forward by exactly the gap: the offset after the transition minus the one before.
          const before = r.utcMs - 6 * 3_600_000;
          const jump = wall - r.utcMs - (wallOf(zone, before) - before);
          expect(jump).toBeGreaterThan(0);
          expect(wall - t).toBe(jump);
        } else {
          expect(wall).toBe(t);
          if (r.kind === 'fold') {
            folds++;
            // The earlier instant: the same wall time an offset-change later is also valid.
            const later = r.utcMs + (zone === 'Australia/Lord_Howe' ? 30 : 60) * MIN;
            expect(wallOf(zone, later)).toBe(t);
          }
        }
      }
    }
    const len = zone === 'Australia/Lord_Howe' ? 30 : 60;
    expect(gaps).toBe(len);
    expect(folds).toBe(len);
  });

  it('converts a UTC instant back to naive local time', () => {
    const utc = Date.UTC(2018, 6, 1, 4, 25, 49);
    expect(ny.toNaive(utc)).toBe(naiveMs(2018, 7, 1, 0, 25, 49, 0));
  });

  it('refuses an unknown zone with a usage error', () => {
    expect(() => new ZoneConverter('America/Atlantis')).toThrow(/unknown time zone 'America\/Atlantis'/);
  });
});
