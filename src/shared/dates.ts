/**
 * The one rule for dates an analyst types (CLI flags, IPC requests, forms): a real calendar day written
 * YYYY-MM-DD, optionally followed by a local time THH:MM or THH:MM:SS. `Date.parse` would roll
 * 2018-02-30 over into March; this refuses it. Pure: no Node, no DOM.
 */

export const DATE_FORM = 'YYYY-MM-DD';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one (UTC, so no zone can shift it).
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function realDay(y: string, m: string, d: string): boolean {
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** True for a real calendar day written YYYY-MM-DD (2018-02-28 yes; 2018-02-30, 2018-13-01, 18-1-1 no). */
export function isIsoDate(s: string): boolean {
  const m = DATE.exec(s);
  return m !== null && realDay(m[1], m[2], m[3]);
}

/** True for YYYY-MM-DDTHH:MM[:SS] with a real day and a time of day (00:00 .. 23:59:59). */
export function isIsoLocalDateTime(s: string): boolean {
  const m = DATE_TIME.exec(s);
  if (m === null || !realDay(m[1], m[2], m[3])) return false;
  return Number(m[4]) <= 23 && Number(m[5]) <= 59 && (m[6] === undefined || Number(m[6]) <= 59);
}

/** A date, or a date with a local time. */
export function isIsoDateOrDateTime(s: string): boolean {
  return isIsoDate(s) || isIsoLocalDateTime(s);
}
