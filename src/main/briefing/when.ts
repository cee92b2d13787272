/** Human forms of instants in a dataset's zone, for the masthead (the JSON keeps ISO forms). */

const WEEKDAY: Intl.DateTimeFormatOptions = { weekday: 'short' };

/** e.g. 'Sat 29 Sep 2018 00:00 EDT'. */
export function localLabel(tz: string, utcMs: number): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    ...WEEKDAY,
    timeZone: tz,
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(new Date(utcMs));
  const get = (t: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('weekday')} ${get('day')} ${get('month')} ${get('year')} ${get('hour')}:${get('minute')} ${get('timeZoneName')}`;
}

/** e.g. 'Sat 29 Sep 2018 00:00 – Sun 30 Sep 2018 00:00 EDT (America/New_York)'; zone shown on both ends only when it changes. */
export function windowLabel(tz: string, startMs: number, endMs: number): string {
  const a = localLabel(tz, startMs);
  const b = localLabel(tz, endMs);
  const zoneA = a.slice(a.lastIndexOf(' ') + 1);
  const zoneB = b.slice(b.lastIndexOf(' ') + 1);
  const left = zoneA === zoneB ? a.slice(0, a.lastIndexOf(' ')) : a;
  return `${left} – ${b} (${tz})`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 'YYYY-MM-DD' → 'D Mon YYYY' (calendar date, no zone involved; fixed month names, not the ICU's). */
export function dateLabel(isoDate: string): string {
  const [y, m, d] = isoDate.slice(0, 10).split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}
