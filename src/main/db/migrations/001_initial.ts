import type { Migration } from './index.ts';

export const m001: Migration = {
  version: 1,
  name: 'initial: datasets, events, rejects, locations',
  up: `
    CREATE TABLE datasets (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      city TEXT NOT NULL,
      tz TEXT NOT NULL,
      format TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    -- One row per imported file; a dataset may grow by several imports (e.g. monthly updates).
    CREATE TABLE imports (
      id INTEGER PRIMARY KEY,
      dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
      source_file TEXT NOT NULL,
      size INTEGER NOT NULL,
      sha256 TEXT NOT NULL,
      format TEXT NOT NULL,
      imported_at TEXT NOT NULL,
      rows INTEGER NOT NULL,
      imported INTEGER NOT NULL,
      duplicates INTEGER NOT NULL,
      rejected INTEGER NOT NULL,
      skipped_existing INTEGER NOT NULL DEFAULT 0,
      UNIQUE (dataset_id, sha256)
    );
    -- Stable integer id per distinct coordinate pair (micro-degrees), shared by all datasets.
    CREATE TABLE locations (
      id INTEGER PRIMARY KEY,
      lat_e6 INTEGER NOT NULL,
      lon_e6 INTEGER NOT NULL,
      UNIQUE (lat_e6, lon_e6)
    );
    CREATE TABLE events (
      id INTEGER PRIMARY KEY,
      dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
      import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
      line INTEGER NOT NULL,
      source_id TEXT,
      utc_ms INTEGER NOT NULL,
      local_time TEXT NOT NULL,
      lat REAL NOT NULL,
      lon REAL NOT NULL,
      location_id INTEGER NOT NULL REFERENCES locations(id),
      type TEXT NOT NULL CHECK (type IN ('single','multiple','gunshot_or_firecracker','unknown')),
      raw_type TEXT,
      rounds INTEGER,
      duplicate_of INTEGER REFERENCES events(id),
      raw TEXT NOT NULL
    );
    CREATE INDEX events_dataset_time ON events(dataset_id, utc_ms);
    -- Identity of an event for idempotent re-import and cross-network duplicate detection.
    CREATE INDEX events_dataset_key ON events(dataset_id, type, utc_ms, location_id);
    CREATE TABLE rejects (
      id INTEGER PRIMARY KEY,
      dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
      import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
      line INTEGER NOT NULL,
      column_name TEXT,
      raw TEXT NOT NULL,
      reason TEXT NOT NULL,
      detail TEXT
    );
    CREATE INDEX rejects_dataset ON rejects(dataset_id, reason);
  `,
};
