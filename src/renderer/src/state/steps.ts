import type { EventSummary } from '../../../shared/contract.ts';
import type { StepUnit } from '../../../shared/types.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsFormatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** ISO local time with its offset in `tz`, e.g. 2018-03-11T00:00:00-05:00 (as the core's isoLocal). */
export function isoLocal(tz: string, utcMs: number): string {
  const p: Record<string, number> = {};
  for (const part of partsFormatter(tz).formatToParts(utcMs)) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  const local = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const off = Math.round((local - Math.floor(utcMs / 1000) * 1000) / 60_000);
  const a = Math.abs(off);
  const sign = off < 0 ? '-' : '+';
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const weekdayOf = (date: string) => WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()];

/**
 * A step as an analyst reads it, in the dataset's zone: "2018-09-29 Sat" for a day,
 * "2018-09-29 Sat 14:00–15:00" for an hour or a shift, "2018-09-24 Mon, the week to 2018-09-30" for a
 * week. Where the clocks change inside the step, its two offsets are named, so the repeated hour of the
 * autumn change ("01:00–01:00 (-04:00 → -05:00)") is not mistaken for the next one.
 */
export function stepLabel(tz: string, unit: StepUnit, startMs: number, endMs: number): string {
  const a = isoLocal(tz, startMs);
  const b = isoLocal(tz, endMs);
  const date = a.slice(0, 10);
  const day = `${date} ${weekdayOf(date)}`;
  if (unit === 'day') return day;
  if (unit === 'week') return `${day}, the week to ${isoLocal(tz, endMs - 1).slice(0, 10)}`;
  const shift = a.slice(19) === b.slice(19) ? '' : ` (${a.slice(19)} → ${b.slice(19)})`;
  return `${day} ${a.slice(11, 16)}–${b.slice(11, 16)}${shift}`;
}

/** The UTC starts of a summary's steps, expanded from its runs. */
export function expandStarts(s: Pick<EventSummary, 'firstStartMs' | 'runs' | 'counts'>): Float64Array {
  const out = new Float64Array(s.counts.length);
  if (out.length === 0) return out;
  out[0] = s.firstStartMs;
  let i = 1;
  for (const [count, gap] of s.runs) {
    for (let k = 0; k < count && i < out.length; k++, i++) out[i] = out[i - 1] + gap;
  }
  return out;
}

/** How many steps Shift+arrow jumps: about a day of hours or shifts, a week of days, a month of weeks. */
export const BIG_JUMP: Record<StepUnit, number> = { hour: 24, shift: 3, day: 7, week: 4 };

/**
 * A dataset's steps at one unit: their UTC starts (8 bytes a step) and labels made on demand in the
 * dataset's zone, so five years of hours cost 350 kB and a handful of strings, not 43,800 of them.
 */
export class StepAxis {
  readonly starts: Float64Array;
  readonly tz: string;
  readonly unit: StepUnit;
  private readonly labels = new Map<number, string>();

  constructor(summary: EventSummary) {
    this.starts = expandStarts(summary);
    this.tz = summary.tz;
    this.unit = summary.step;
  }

  get length(): number {
    return this.starts.length;
  }

  /** The step's start as ISO local time with offset (what the timeline shows). */
  iso(i: number): string {
    if (i < 0 || i >= this.starts.length) return '';
    let s = this.labels.get(i);
    if (s === undefined) {
      if (this.labels.size > 256) this.labels.clear();
      s = isoLocal(this.tz, this.starts[i]);
      this.labels.set(i, s);
    }
    return s;
  }

  /** The step in words, as the timeline shows it (stepLabel). */
  label(i: number): string {
    if (i < 0 || i >= this.starts.length) return '';
    return stepLabel(this.tz, this.unit, this.starts[i], this.endMs(i));
  }

  /** The step's local date, YYYY-MM-DD. */
  date(i: number): string {
    return this.iso(i).slice(0, 10);
  }

  /** UTC end of a step: the next one's start (the last step lasts as long as the one before it). */
  endMs(i: number): number {
    const s = this.starts;
    if (i + 1 < s.length) return s[i + 1];
    return s[i] + (s.length > 1 ? s[i] - s[i - 1] : 86_400_000);
  }

  /** The step that holds an instant, clamped to the axis (0 for an empty one). */
  indexAt(utcMs: number): number {
    const s = this.starts;
    if (s.length === 0 || utcMs < s[0]) return 0;
    let lo = 0;
    let hi = s.length;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (s[mid] <= utcMs) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  /**
   * The step a local date (YYYY-MM-DD) opens on: the first step that starts on it, else the step that
   * holds its start (a week's); −1 outside the timeline.
   */
  indexOfDate(date: string): number {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.date(mid) < date) lo = mid + 1;
      else hi = mid;
    }
    if (lo < this.starts.length && this.date(lo) === date) return lo;
    return lo > 0 && lo < this.starts.length ? lo - 1 : -1;
  }
}

/** The histogram draws at most this many bars; beyond, each bar sums a run of steps. */
export const MAX_BARS = 1500;

/**
 * Counts summed over runs of `per` steps, so a long timeline draws a bar per pixel or so: five years of
 * hours make 1,461 bars of 30 hours, not 43,800 bars.
 */
export function binCounts(
  counts: ArrayLike<number>,
  maxBars = MAX_BARS,
): { per: number; xs: number[]; ys: number[] } {
  const per = Math.max(1, Math.ceil(counts.length / maxBars));
  const xs: number[] = [];
  const ys: number[] = [];
  for (let start = 0; start < counts.length; start += per) {
    const end = Math.min(counts.length, start + per);
    let sum = 0;
    for (let i = start; i < end; i++) sum += counts[i];
    xs.push((start + end - 1) / 2);
    ys.push(sum);
  }
  return { per, xs, ys };
}
