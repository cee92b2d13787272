import type { Migration } from './index.ts';

/**
 * A narrower events row, for the importer's sake (a million-row file is written in one transaction and
 * every byte of a row is written twice in WAL mode):
 * - the type is stored as its index in EVENT_TYPES (`type_code`); `type` stays readable as a virtual
 *   column computed from it;
 * - the local time is stored as the zone's offset at that instant (`utc_offset_s`, seconds east of UTC);
 *   `local_time` (`YYYY-MM-DDTHH:MM:SS`, the local wall clock to the second) stays readable as a virtual
 *   column, utc_ms + offset floored to the second (migration 5 moves it to the view events_local);
 * - `raw_type` is kept only for rows whose type could not be normalised (`unknown`): a recognised
 *   spelling is still in `raw`;
 * - one index serves both the time-ordered reads and the importer's same-second lookups, instead of a
 *   second index keyed on the type.
 *
 * Existing events are copied over unchanged in meaning. The old table is renamed first so that the
 * self-reference of `duplicate_of` follows it and the copy is checked against the new table.
 */
export const m004: Migration = {
  version: 4,
  name: 'narrow events: type code, utc offset, virtual type and local_time',
  up: `
    ALTER TABLE events RENAME TO events_v3;
    CREATE TABLE events (
      id INTEGER PRIMARY KEY,
      dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
      import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
      line INTEGER NOT NULL,
      source_id TEXT,
      utc_ms INTEGER NOT NULL,
      utc_offset_s INTEGER NOT NULL,
      lat REAL NOT NULL,
      lon REAL NOT NULL,
      location_id INTEGER NOT NULL REFERENCES locations(id),
      -- Index into EVENT_TYPES: single, multiple, gunshot_or_firecracker, unknown.
      type_code INTEGER NOT NULL CHECK (type_code BETWEEN 0 AND 3),
      raw_type TEXT,
      rounds INTEGER,
      duplicate_of INTEGER REFERENCES events(id),
      raw TEXT NOT NULL,
      type TEXT GENERATED ALWAYS AS (
        CASE type_code WHEN 0 THEN 'single' WHEN 1 THEN 'multiple' WHEN 2 THEN 'gunshot_or_firecracker' ELSE 'unknown' END
      ) VIRTUAL,
      local_time TEXT GENERATED ALWAYS AS (
        strftime('%Y-%m-%dT%H:%M:%S', (utc_ms - ((utc_ms % 1000) + 1000) % 1000) / 1000 + utc_offset_s, 'unixepoch')
      ) VIRTUAL
    );
    INSERT INTO events (id, dataset_id, import_id, line, source_id, utc_ms, utc_offset_s, lat, lon, location_id,
                        type_code, raw_type, rounds, duplicate_of, raw)
      SELECT id, dataset_id, import_id, line, source_id, utc_ms,
             unixepoch(local_time) - (utc_ms - ((utc_ms % 1000) + 1000) % 1000) / 1000,
             lat, lon, location_id,
             CASE type WHEN 'single' THEN 0 WHEN 'multiple' THEN 1 WHEN 'gunshot_or_firecracker' THEN 2 ELSE 3 END,
             CASE type WHEN 'unknown' THEN raw_type END,
             rounds, duplicate_of, raw
      FROM events_v3 ORDER BY id;
    DROP TABLE events_v3;
    CREATE INDEX events_dataset_time ON events(dataset_id, utc_ms);
  `,
};
