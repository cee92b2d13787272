/**
 * Holidays that change how much gunfire (and fireworks) the sensors hear. A built-in list holds the
 * days every US dataset shares: July 4th, its eve and the night after (in DC the local date with the
 * most detections of the year is July 5th: the fireworks run past midnight), New Year's Eve and Day,
 * and the other days of the fireworks windows (Dec 29–Jan 2, Jul 1–6) as one kind. A dataset adds its
 * own dates, either one date (`2018-05-28`) or a date every year (`05-28`). Each built-in day is its
 * own kind (July 4th is not New Year's Eve); all extra dates share the kind `extra`.
 */
import { isFireworksDate, localParts, nextStepStart } from '../grid/time.ts';
import type { StepSpec } from '../grid/types.ts';
import { UsageError } from '../util/errors.ts';

export interface BuiltInHoliday {
  kind: string;
  month: number;
  day: number;
  label: string;
}

export const BUILT_IN_HOLIDAYS: readonly BuiltInHoliday[] = [
  { kind: 'jul3', month: 7, day: 3, label: 'July 4th eve' },
  { kind: 'jul4', month: 7, day: 4, label: 'July 4th' },
  { kind: 'jul5', month: 7, day: 5, label: 'the night after July 4th' },
  { kind: 'dec31', month: 12, day: 31, label: "New Year's Eve" },
  { kind: 'jan1', month: 1, day: 1, label: "New Year's Day" },
];

export const EXTRA_HOLIDAY = 'extra';
/** The other days of the fireworks windows (Dec 29–Jan 2, Jul 1–6). */
export const FIREWORKS_SEASON = 'fireworks';

/** Every holiday kind in a fixed order (built-ins, the fireworks season, then `extra`). */
export const HOLIDAY_KINDS: readonly string[] = [
  ...BUILT_IN_HOLIDAYS.map((h) => h.kind),
  FIREWORKS_SEASON,
  EXTRA_HOLIDAY,
];

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const YEARLY_RE = /^(\d{2})-(\d{2})$/;

/**
 * Parses `2018-05-28,07-05` (full dates or yearly MM-DD; commas, semicolons or spaces between them),
 * rejecting anything else. Sorted, unique.
 */
export function parseHolidayList(text: string | readonly string[]): string[] {
  const items = (typeof text === 'string' ? text.split(/[\s,;]+/) : text)
    .map((s) => s.trim())
    .filter(Boolean);
  const out = new Set<string>();
  for (const it of items) {
    const full = DATE_RE.exec(it);
    const yearly = YEARLY_RE.exec(it);
    const [y, m, d] = full
      ? [Number(full[1]), Number(full[2]), Number(full[3])]
      : yearly
        ? [2000, Number(yearly[1]), Number(yearly[2])]
        : [NaN, NaN, NaN];
    const probe = new Date(Date.UTC(y, m - 1, d));
    if (!Number.isFinite(y) || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) {
      throw new UsageError(`holiday '${it}' must be a date YYYY-MM-DD or a yearly MM-DD`);
    }
    out.add(it);
  }
  return [...out].sort();
}

export interface HolidayCalendar {
  /** The holiday kind of a local calendar date, or null. A built-in day wins over an extra date. */
  kindOf(year: number, month: number, day: number): string | null;
  /** The label of a kind ("July 4th", or "one of the dataset's holidays" for extra dates). */
  label(kind: string): string;
  readonly extra: readonly string[];
}

export function holidayCalendar(extra: readonly string[] = []): HolidayCalendar {
  const dates = parseHolidayList(extra);
  const set = new Set(dates);
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    extra: dates,
    kindOf(year, month, day) {
      for (const h of BUILT_IN_HOLIDAYS) if (h.month === month && h.day === day) return h.kind;
      const md = `${pad(month)}-${pad(day)}`;
      if (set.has(md) || set.has(`${year}-${md}`)) return EXTRA_HOLIDAY;
      if (isFireworksDate(month, day)) return FIREWORKS_SEASON;
      return null;
    },
    label(kind) {
      if (kind === FIREWORKS_SEASON) return 'fireworks season';
      return BUILT_IN_HOLIDAYS.find((h) => h.kind === kind)?.label ?? "one of the dataset's holidays";
    },
  };
}

/**
 * The holiday kind of a step: that of the local date it starts on (hours, shifts, days); for a week,
 * the first holiday among its seven days.
 */
export function holidayOfStep(
  cal: HolidayCalendar,
  tz: string,
  step: StepSpec,
  startMs: number,
): string | null {
  const p = localParts(tz, startMs);
  if (step.unit !== 'week') return cal.kindOf(p.year, p.month, p.day);
  const end = nextStepStart(tz, step, startMs);
  for (let d = 0; d < 7; d++) {
    const q = new Date(Date.UTC(p.year, p.month - 1, p.day + d));
    const k = cal.kindOf(q.getUTCFullYear(), q.getUTCMonth() + 1, q.getUTCDate());
    if (k) return k;
    if (startMs + (d + 1) * 86_400_000 >= end + 3_600_000) break;
  }
  return null;
}
