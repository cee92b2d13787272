import { UsageError } from '../util/errors.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;
/** No zone has ever been further than these from UTC; the search window for local → UTC. */
const MAX_EAST = 14 * HOUR;
const MAX_WEST = 12 * HOUR;

/** How a local wall-clock time was resolved to an instant. */
export type Resolution = 'exact' | 'gap' | 'fold';

export interface Resolved {
  utcMs: number;
  kind: Resolution;
}

/**
 * Converts local wall-clock times of one IANA zone to UTC instants, fast enough for millions of rows.
 *
 * Local times are handled as "naive" milliseconds: the wall clock read as if it were UTC
 * (`Date.UTC(y, m - 1, d, h, mi, s, ms)`). Intl is slow (microseconds per call), so offsets are
 * memoised per UTC day (with the exact transition instant when a day contains one) and resolutions
 * per local hour; a typical import calls Intl a few thousand times, not once per row.
 *
 * Rules, the same as Temporal's `disambiguation: 'compatible'`:
 * - a time that does not exist (the spring-forward gap) is shifted forward by the length of the gap,
 *   i.e. read with the offset in force before the transition (02:30 on a 1-hour gap becomes 03:30);
 * - a time that exists twice (the autumn fold) takes the earlier instant, i.e. the offset in force
 *   before the transition (01:30 EDT rather than 01:30 EST).
 */
export class ZoneConverter {
  readonly zone: string;
  private readonly fmt: Intl.DateTimeFormat;
  /** UTC day number → [offset at day start, transition instant or NaN, offset after transition]. */
  private readonly days = new Map<number, [number, number, number]>();
  /** Local hour number → the offset valid for the whole hour and how it resolved. */
  private readonly hours = new Map<number, Resolved & { offset: number }>();

  constructor(zone: string) {
    this.zone = zone;
    try {
      this.fmt = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        era: 'short',
      });
    } catch {
      throw new UsageError(`unknown time zone '${zone}'; use an IANA name such as America/New_York`);
    }
  }

  /** The zone's UTC offset (ms, east positive) at a UTC instant. */
  offsetAt(utcMs: number): number {
    const day = Math.floor(utcMs / DAY);
    let entry = this.days.get(day);
    if (!entry) {
      entry = this.scanDay(day);
      this.days.set(day, entry);
    }
    return utcMs < entry[1] ? entry[0] : entry[2];
  }

  /** How the last `toUtc` call resolved its time; read it right after the call. */
  lastKind: Resolution = 'exact';
  private lastHour = NaN;
  private lastOffset = 0;
  private lastHourKind: Resolution = 'exact';

  /** Resolves a naive local time (see class doc) to a UTC instant; sets `lastKind`. */
  toUtc(naiveMs: number): number {
    const hour = Math.floor(naiveMs / HOUR);
    if (hour === this.lastHour) {
      this.lastKind = this.lastHourKind;
      return naiveMs - this.lastOffset;
    }
    let cached = this.hours.get(hour);
    if (!cached) {
      const start = this.resolve(hour * HOUR);
      const end = this.resolve(hour * HOUR + HOUR - 1);
      if (start.kind !== end.kind || start.offset !== end.offset) {
        // A transition inside the hour (e.g. Lord Howe's 30-minute shift): resolve this time alone.
        const r = this.resolve(naiveMs);
        this.lastKind = r.kind;
        return r.utcMs;
      }
      // The whole local hour resolves the same way, so every time in it can reuse the offset.
      cached = start;
      this.hours.set(hour, cached);
    }
    this.lastHour = hour;
    this.lastOffset = cached.offset;
    this.lastHourKind = cached.kind;
    this.lastKind = cached.kind;
    return naiveMs - cached.offset;
  }

  /** Like `toUtc`, returning the kind with the instant (for callers off the hot path). */
  resolveLocal(naiveMs: number): Resolved {
    const utcMs = this.toUtc(naiveMs);
    return { utcMs, kind: this.lastKind };
  }

  /** The naive local time of a UTC instant. */
  toNaive(utcMs: number): number {
    return utcMs + this.offsetAt(utcMs);
  }

  private resolve(naiveMs: number): Resolved & { offset: number } {
    // At most one transition lies in the window of instants this wall time could denote.
    const before = this.offsetAt(naiveMs - MAX_EAST);
    const after = this.offsetAt(naiveMs + MAX_WEST);
    const beforeValid = this.offsetAt(naiveMs - before) === before;
    const afterValid = before !== after && this.offsetAt(naiveMs - after) === after;
    if (beforeValid && afterValid) return { utcMs: naiveMs - before, kind: 'fold', offset: before };
    if (beforeValid) return { utcMs: naiveMs - before, kind: 'exact', offset: before };
    if (afterValid) return { utcMs: naiveMs - after, kind: 'exact', offset: after };
    return { utcMs: naiveMs - before, kind: 'gap', offset: before };
  }

  private scanDay(day: number): [number, number, number] {
    const t0 = day * DAY;
    const a = this.intlOffset(t0);
    const b = this.intlOffset(t0 + DAY);
    if (a === b) return [a, Infinity, a];
    // Binary search for the first whole second with the new offset (tzdb transitions fall on seconds).
    let lo = t0 / 1000;
    let hi = (t0 + DAY) / 1000;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.intlOffset(mid * 1000) === a) lo = mid;
      else hi = mid;
    }
    return [a, hi * 1000, b];
  }

  private intlOffset(utcMs: number): number {
    let y = 0,
      mo = 0,
      d = 0,
      h = 0,
      mi = 0,
      s = 0,
      bc = false;
    for (const p of this.fmt.formatToParts(new Date(utcMs))) {
      switch (p.type) {
        case 'year':
          y = Number(p.value);
          break;
        case 'month':
          mo = Number(p.value);
          break;
        case 'day':
          d = Number(p.value);
          break;
        case 'hour':
          h = Number(p.value);
          break;
        case 'minute':
          mi = Number(p.value);
          break;
        case 'second':
          s = Number(p.value);
          break;
        case 'era':
          bc = p.value.startsWith('B');
          break;
      }
    }
    const wall = naiveMs(bc ? 1 - y : y, mo, d, h, mi, s, 0);
    const whole = Math.floor(utcMs / 1000) * 1000;
    return wall - whole;
  }
}

/** `Date.UTC` that also works for years 0..99 (which Date.UTC maps to 1900..1999). */
export function naiveMs(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  ms: number,
): number {
  if (y >= 100) return Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const dt = new Date(Date.UTC(2000, mo - 1, d, h, mi, s, ms));
  dt.setUTCFullYear(y);
  return dt.getTime();
}

/** Throws a UsageError unless `zone` is an IANA zone this runtime knows. */
export function checkZone(zone: string): string {
  new ZoneConverter(zone);
  return zone;
}
