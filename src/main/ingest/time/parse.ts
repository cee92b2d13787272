/**
 * Parsers for the date and time spellings found in alert files. They work on character codes (no
 * regular expressions, no Date parsing) because they run once per row, and return "naive" local
 * milliseconds (the wall clock read as if it were UTC; see ZoneConverter) or NaN when the text is not
 * a valid date. A valid shape with an impossible value (Feb 30, 25:00) is NaN too.
 */

const DAY = 86_400_000;
/** Days from 1899-12-30 (Excel's day 0 in the 1900 date system) to 1970-01-01. */
const EXCEL_EPOCH_DAYS = 25_569;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(y: number, m: number): number {
  if (m === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0)) return 29;
  return DAYS_IN_MONTH[m - 1];
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Naive ms of a date and time, or NaN when any part is out of range. */
export function naiveFromParts(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  ms: number,
): number {
  let days: number;
  if (y === memoY && mo === memoMo && d === memoD) days = memoDays;
  else {
    days =
      y >= 1 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo)
        ? daysFromCivil(y, mo, d)
        : NaN;
    memoY = y;
    memoMo = mo;
    memoD = d;
    memoDays = days;
  }
  if (days !== days) return NaN;
  if (!(h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s < 60 && ms >= 0 && ms < 1000)) return NaN;
  return days * DAY + h * 3_600_000 + mi * 60_000 + s * 1000 + ms;
}

// The last date converted: alert files come roughly in time order, so most rows repeat it.
let memoY = NaN;
let memoMo = NaN;
let memoD = NaN;
let memoDays = NaN;

/** Unsigned decimal integer in s[start, end), or -1 when empty or not all digits. */
function digits(s: string, start: number, end: number): number {
  if (end <= start) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** Milliseconds from a fraction's digits in s[start, end) ("313000" → 313), rounded; -1 if not digits. */
function fractionMs(s: string, start: number, end: number): number {
  let n = 0;
  let scale = 1;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    if (scale < 1e9) {
      n = n * 10 + c;
      scale *= 10;
    }
  }
  return scale === 1 ? -1 : Math.round((n / scale) * 1000);
}

/**
 * Time of day `H:MM[:SS[.fff…]]` with an optional ` AM`/` PM`, in s[start, end) → ms since midnight,
 * or NaN. An hour of 24 is refused: no source writes it and it would silently move the date.
 */
export function parseTimeOfDay(s: string, start = 0, end = s.length): number {
  while (end > start && s.charCodeAt(end - 1) === 32) end--;
  while (start < end && s.charCodeAt(start) === 32) start++;
  let pm = -1;
  if (end - start > 2) {
    const a = s.charCodeAt(end - 2) | 0x20;
    const m = s.charCodeAt(end - 1) | 0x20;
    if (m === 109 && (a === 97 || a === 112)) {
      pm = a === 112 ? 1 : 0;
      end -= 2;
      while (end > start && s.charCodeAt(end - 1) === 32) end--;
    }
  }
  const c1 = s.indexOf(':', start);
  if (c1 < 0 || c1 >= end) return NaN;
  let h = digits(s, start, c1);
  const c2 = s.indexOf(':', c1 + 1);
  const hasSec = c2 >= 0 && c2 < end;
  const mi = digits(s, c1 + 1, hasSec ? c2 : end);
  let sec = 0;
  let ms = 0;
  if (hasSec) {
    const dot = s.indexOf('.', c2 + 1);
    const hasFrac = dot >= 0 && dot < end;
    sec = digits(s, c2 + 1, hasFrac ? dot : end);
    // A fraction that rounds up to 1000 ms carries into the next second, as rounding should.
    if (hasFrac) ms = fractionMs(s, dot + 1, end);
  }
  if (h < 0 || mi < 0 || sec < 0 || ms < 0 || mi > 59 || sec > 59 || c1 - start > 2) return NaN;
  if (pm >= 0) {
    if (h < 1 || h > 12) return NaN;
    h = (h % 12) + (pm ? 12 : 0);
  }
  if (h > 23) return NaN;
  return h * 3_600_000 + mi * 60_000 + sec * 1000 + ms;
}

/** The result of `parseDateTime` when the text carried its own UTC offset (`Z`, `+01:00`). */
export interface ZoneMark {
  /** Minutes east of UTC, or null when the text had no zone marker (local wall time). */
  offsetMinutes: number | null;
}

/**
 * ISO-like date-time `YYYY-MM-DD[T| ]HH:MM[:SS[.f…]][Z|±HH[:]MM]`, or a bare date `YYYY-MM-DD` (midnight),
 * in s → naive ms, or NaN. A zone marker is reported through `mark` (the naive value is then the
 * wall time at that offset).
 */
export function parseIsoDateTime(s: string, mark?: ZoneMark): number {
  if (mark) mark.offsetMinutes = null;
  const n = s.length;
  if (n < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return NaN;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 7);
  const d = digits(s, 8, 10);
  if (n === 10) return naiveFromParts(y, mo, d, 0, 0, 0, 0);
  const sep = s.charCodeAt(10);
  if (sep !== 84 && sep !== 32) return NaN;
  if (n === 19 && s.charCodeAt(13) === 58 && s.charCodeAt(16) === 58) {
    // The common `YYYY-MM-DDTHH:MM:SS`: fixed positions, no searching.
    return naiveFromParts(y, mo, d, digits(s, 11, 13), digits(s, 14, 16), digits(s, 17, 19), 0);
  }
  let end = n;
  const last = s.charCodeAt(n - 1);
  if (last === 90 || last === 122) {
    if (mark) mark.offsetMinutes = 0;
    end = n - 1;
  } else if (n >= 17) {
    // A numeric offset ±HH:MM or ±HHMM after the time (the time itself holds no + or -).
    for (let i = n - 1; i > 13; i--) {
      const c = s.charCodeAt(i);
      if (c === 43 || c === 45) {
        const oh = digits(s, i + 1, i + 3);
        const om = s.charCodeAt(i + 3) === 58 ? digits(s, i + 4, n) : digits(s, i + 3, n);
        if (oh < 0 || om < 0 || oh > 14 || om > 59) return NaN;
        if (mark) mark.offsetMinutes = (c === 45 ? -1 : 1) * (oh * 60 + om);
        end = i;
        break;
      }
    }
  }
  const t = parseTimeOfDay(s, 11, end);
  if (t !== t) return NaN;
  const day = naiveFromParts(y, mo, d, 0, 0, 0, 0);
  return day + t;
}

/**
 * US date `M/D/YYYY` or `M/D/YY` in s[start, end) → naive ms of midnight, or NaN. Two-digit years
 * are read as 20YY when that is not in the future, else 19YY (Oakland's CAD writes `1/3/08`).
 */
export function parseUsDate(s: string, start = 0, end = s.length): number {
  const a = s.indexOf('/', start);
  if (a < 0 || a >= end) return NaN;
  const b = s.indexOf('/', a + 1);
  if (b < 0 || b >= end) return NaN;
  const mo = digits(s, start, a);
  const d = digits(s, a + 1, b);
  let y = digits(s, b + 1, end);
  if (a - start > 2 || b - a > 3 || mo < 0 || d < 0 || y < 0) return NaN;
  if (end - b - 1 === 2) y += y <= new Date().getUTCFullYear() % 100 ? 2000 : 1900;
  else if (end - b - 1 !== 4) return NaN;
  return naiveFromParts(y, mo, d, 0, 0, 0, 0);
}

/** `M/D/YYYY H:MM[:SS][ AM|PM]` (date and time in one text) → naive ms, or NaN. */
export function parseUsDateTime(s: string): number {
  const sp = s.indexOf(' ');
  if (sp < 0) return parseUsDate(s);
  const day = parseUsDate(s, 0, sp);
  const t = parseTimeOfDay(s, sp + 1);
  return day + t;
}

/** Any date-time spelling we know: ISO, US, or an Excel serial number → naive ms, or NaN. */
export function parseAnyDateTime(s: string, mark?: ZoneMark): number {
  if (mark) mark.offsetMinutes = null;
  const t = s.trim();
  if (t.length >= 10 && t.charCodeAt(4) === 45) return parseIsoDateTime(t, mark);
  if (t.includes('/')) return parseUsDateTime(t);
  const n = Number(t);
  if (t !== '' && Number.isFinite(n)) return excelSerialToNaive(n, 1);
  return NaN;
}

/**
 * An Excel serial day (1900 date system: days since 1899-12-30, fraction = time of day) → naive ms,
 * rounded to `resolutionMs` (MPD's workbooks store times whose float noise is below a second).
 * Serials before 1900-03-01 are refused: Excel's fictitious 1900-02-29 makes them ambiguous.
 */
export function excelSerialToNaive(serial: number, resolutionMs: number): number {
  if (!Number.isFinite(serial) || serial < 61 || serial > 2_958_465) return NaN;
  const ms = (serial - EXCEL_EPOCH_DAYS) * DAY;
  return Math.round(ms / resolutionMs) * resolutionMs;
}

/** An Excel fraction of a day (a time-only cell) → ms since midnight rounded to `resolutionMs`, or NaN. */
export function excelTimeToMs(fraction: number, resolutionMs: number): number {
  if (!Number.isFinite(fraction) || fraction < 0 || fraction >= 1) return NaN;
  const ms = Math.round((fraction * DAY) / resolutionMs) * resolutionMs;
  return ms >= DAY ? NaN : ms;
}

const datePrefix = new Map<number, string>();

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** Naive ms → `YYYY-MM-DDTHH:MM:SS` (local ISO without zone, to the second, as stored in events). */
export function formatNaive(naive: number): string {
  const day = Math.floor(naive / DAY);
  let prefix = datePrefix.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY).toISOString().slice(0, 11);
    if (datePrefix.size > 100_000) datePrefix.clear();
    datePrefix.set(day, prefix);
  }
  const secs = Math.floor((naive - day * DAY) / 1000);
  const h = Math.floor(secs / 3600);
  const m = Math.floor((secs % 3600) / 60);
  return prefix + pad2(h) + ':' + pad2(m) + ':' + pad2(secs % 60);
}
