import type { Migration } from './index.ts';

/**
 * The local time as text moves from a generated column of `events` to the view `events_local`.
 * SQLite computes every generated column, virtual ones too, on each INSERT, and formatting the time
 * cost about a third of an event's insert. The table keeps what the local time is made of (utc_ms and
 * utc_offset_s); `events_local` is every events column plus `local_time` (`YYYY-MM-DDTHH:MM:SS`, the
 * local wall clock to the second: utc_ms + offset, floored to the second).
 */
export const m005: Migration = {
  version: 5,
  name: 'events_local view instead of a generated local_time column',
  up: `
    ALTER TABLE events DROP COLUMN local_time;
    CREATE VIEW events_local AS
      SELECT e.*,
        strftime('%Y-%m-%dT%H:%M:%S', (e.utc_ms - ((e.utc_ms % 1000) + 1000) % 1000) / 1000 + e.utc_offset_s, 'unixepoch')
          AS local_time
      FROM events e;
  `,
};
