import type { Migration } from './index.ts';

/**
 * A city's own map layers (boundary, districts or beats, service areas, neighbourhoods, roads, water…),
 * imported per dataset as GeoJSON in WGS84. One layer per kind and dataset: importing a kind again
 * replaces it. They go with their dataset.
 */
export const m006: Migration = {
  version: 6,
  name: 'per-dataset map layers',
  up: `
    CREATE TABLE layers (
      id INTEGER PRIMARY KEY,
      dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
      kind TEXT NOT NULL,
      name_field TEXT,
      source_file TEXT NOT NULL,
      features INTEGER NOT NULL,
      geojson TEXT NOT NULL,
      imported_at TEXT NOT NULL,
      UNIQUE (dataset_id, kind)
    );
  `,
};
