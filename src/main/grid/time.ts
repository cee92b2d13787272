import { UsageError } from '../util/errors.ts';
import { ZoneConverter, naiveMs } from '../time/zone.ts';
import type { StepSpec, Timeline } from './types.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;

const zones = new Map<string, ZoneConverter>();

/** One converter per zone, shared by every caller: it memoises offsets, so Intl is rarely asked. */
function zone(tz: string): ZoneConverter {
  let z = zones.get(tz);
  if (!z) {
    z = new ZoneConverter(tz);
    zones.set(tz, z);
  }
  return z;
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Wall-clock fields of an instant in a zone. */
export function localParts(tz: string, utcMs: number): LocalParts {
  const d = new Date(zone(tz).toNaive(utcMs));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/** Offset of local time from UTC at an instant, in ms (New York winter: −5 h). */
export function zoneOffsetMs(tz: string, utcMs: number): number {
  return zone(tz).offsetAt(utcMs);
}

/**
 * The UTC instant of a local wall-clock time. In a DST fold (the time happens twice) the first
 * occurrence; in a gap (it never happens) the instant the clock jumps past it, so a step boundary
 * that falls in a gap still moves forward in time.
 */
export function localToUtc(
  tz: string,
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
): number {
  return zone(tz).toUtc(naiveMs(year, month, day, hour, minute, second, 0));
}

/** ISO local time with its offset, e.g. 2018-03-11T00:00:00-05:00. */
export function isoLocal(tz: string, utcMs: number): string {
  const p = localParts(tz, utcMs);
  const off = Math.round(zoneOffsetMs(tz, utcMs) / 60_000);
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Parses 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:MM[:SS]' as a local time in tz. */
export function parseLocal(tz: string, text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (!m) throw new UsageError(`expected a local date YYYY-MM-DD or YYYY-MM-DDTHH:MM, got '${text}'`);
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) {
    throw new UsageError(`not a valid local time: '${text}'`);
  }
  return localToUtc(tz, y, mo, d, h, mi, s);
}

/** The start (UTC instant) of the step that contains an instant. */
export function stepStartAt(tz: string, step: StepSpec, utcMs: number): number {
  const p = localParts(tz, utcMs);
  switch (step.unit) {
    case 'hour': {
      // Local hours are contiguous 3600 s runs even across DST (offsets move by whole hours here).
      const start = utcMs - ((p.minute * 60 + p.second) * 1000 + (utcMs - Math.floor(utcMs / 1000) * 1000));
      return start;
    }
    case 'day':
      return localToUtc(tz, p.year, p.month, p.day);
    case 'week': {
      // Weeks start on Monday (ISO).
      const dow = (new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay() + 6) % 7;
      const d = new Date(Date.UTC(p.year, p.month - 1, p.day - dow));
      return localToUtc(tz, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
    }
    case 'shift': {
      const h0 = shiftStart(step);
      const since = (p.hour - h0 + 24) % 24;
      const startHour = h0 + Math.floor(since / 8) * 8;
      // A shift that started yesterday (e.g. 22:00 start, now 03:00).
      const dayBack = startHour > p.hour ? 1 : 0;
      const d = new Date(Date.UTC(p.year, p.month - 1, p.day - dayBack));
      return localToUtc(tz, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), startHour % 24);
    }
  }
}

function shiftStart(step: StepSpec): number {
  const h = step.shiftStartHour ?? 0;
  if (!Number.isInteger(h) || h < 0 || h > 23)
    throw new UsageError(`shift start hour must be 0..23, got ${h}`);
  return h % 8;
}

/** The start of the step after the one starting at `start` (which must be a step start). */
export function nextStepStart(tz: string, step: StepSpec, start: number): number {
  switch (step.unit) {
    case 'hour':
      return start + HOUR;
    case 'day': {
      // Fast path: on all but the DST days the next local midnight is exactly 24 h on.
      if (isLocalMidnight(tz, start + DAY)) return start + DAY;
      const p = localParts(tz, start + 12 * HOUR);
      const d = new Date(Date.UTC(p.year, p.month - 1, p.day + 1));
      return localToUtc(tz, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
    }
    case 'week': {
      if (isLocalMidnight(tz, start + 7 * DAY)) return start + 7 * DAY;
      const p = localParts(tz, start + 12 * HOUR);
      const d = new Date(Date.UTC(p.year, p.month - 1, p.day + 7));
      return localToUtc(tz, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
    }
    case 'shift': {
      // Ask for the step containing a time inside the next shift; 9 h covers a 7-h DST shift too.
      let t = start + 7 * HOUR;
      let s = stepStartAt(tz, step, t);
      while (s <= start) {
        t += HOUR;
        s = stepStartAt(tz, step, t);
      }
      return s;
    }
  }
}

function isLocalMidnight(tz: string, utcMs: number): boolean {
  const p = localParts(tz, utcMs);
  return p.hour === 0 && p.minute === 0 && p.second === 0;
}

/** Steps from the one containing `fromMs` up to and including the one containing `toMs - 1`. */
export function buildTimeline(tz: string, step: StepSpec, fromMs: number, toMs: number): Timeline {
  const starts: number[] = [stepStartAt(tz, step, fromMs)];
  while (starts[starts.length - 1] < toMs) {
    starts.push(nextStepStart(tz, step, starts[starts.length - 1]));
  }
  if (starts.length === 1) starts.push(nextStepStart(tz, step, starts[0]));
  const arr = Float64Array.from(starts);
  return { tz, step, starts: arr, steps: arr.length - 1 };
}

/** Index of the step containing utcMs, or −1 outside the timeline (binary search). */
export function stepIndexOf(timeline: Timeline, utcMs: number): number {
  const s = timeline.starts;
  if (utcMs < s[0] || utcMs >= s[s.length - 1]) return -1;
  let lo = 0;
  let hi = s.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (s[mid] <= utcMs) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Nominal length of a step in days (for decay parameters given in days). */
export function stepDays(step: StepSpec): number {
  switch (step.unit) {
    case 'hour':
      return 1 / 24;
    case 'shift':
      return 1 / 3;
    case 'day':
      return 1;
    case 'week':
      return 7;
  }
}

/** Whether a local calendar date lies in a fireworks window: Dec 29–Jan 2 or Jul 1–6. */
export function isFireworksDate(month: number, day: number): boolean {
  return (month === 12 && day >= 29) || (month === 1 && day <= 2) || (month === 7 && day <= 6);
}

export function parseStepUnit(text: string): StepSpec['unit'] {
  if (text === 'hour' || text === 'shift' || text === 'day' || text === 'week') return text;
  throw new UsageError(`--step must be hour, shift, day or week, got '${text}'`);
}
