/**
 * Test fixtures: datasets written straight into the events table, for tests of the grid and the
 * evaluation that must not depend on the importer. Not used by the app.
 */
import { readFileSync } from 'node:fs';
import type { WritableDb } from '../../db/connection.ts';
import { isoLocal, localToUtc } from '../../grid/time.ts';
import { EVENT_TYPES, type EventType } from '../../../shared/types.ts';

export interface FixtureEvent {
  utcMs: number;
  lat: number;
  lon: number;
  type: EventType;
  /** Index (in the same insert call) of the event this one duplicates. */
  duplicateOf?: number;
}

export function insertDataset(
  db: WritableDb,
  name: string,
  tz: string,
): { datasetId: number; importId: number } {
  const now = '2026-01-01T00:00:00Z';
  const datasetId = Number(
    db
      .prepare(
        `INSERT INTO datasets (name, city, tz, format, created_at, updated_at) VALUES (?, ?, ?, 'fixture', ?, ?)`,
      )
      .run(name, name, tz, now, now).lastInsertRowid,
  );
  const importId = Number(
    db
      .prepare(
        `INSERT INTO imports (dataset_id, source_file, size, sha256, format, imported_at, rows, imported, duplicates, rejected)
         VALUES (?, 'fixture', 0, ?, 'fixture', ?, 0, 0, 0, 0)`,
      )
      .run(datasetId, `fixture-${name}`, now).lastInsertRowid,
  );
  return { datasetId, importId };
}

export function insertEvents(
  db: WritableDb,
  name: string,
  tz: string,
  events: readonly FixtureEvent[],
): number {
  const { datasetId, importId } = insertDataset(db, name, tz);
  const loc = db.prepare(
    `INSERT INTO locations (lat_e6, lon_e6) VALUES (?, ?) ON CONFLICT(lat_e6, lon_e6) DO UPDATE SET lat_e6 = lat_e6 RETURNING id`,
  );
  const ins = db.prepare(
    `INSERT INTO events (dataset_id, import_id, line, utc_ms, utc_offset_s, lat, lon, location_id, type_code, duplicate_of, raw)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '')`,
  );
  const ids: number[] = [];
  db.transaction(() => {
    events.forEach((e, i) => {
      const locId = (loc.get(Math.round(e.lat * 1e6), Math.round(e.lon * 1e6)) as { id: number }).id;
      const local = isoLocal(tz, e.utcMs).slice(0, 19);
      const offsetS = Date.parse(local + 'Z') / 1000 - Math.floor(e.utcMs / 1000);
      const dup = e.duplicateOf !== undefined ? ids[e.duplicateOf] : null;
      const code = EVENT_TYPES.indexOf(e.type);
      ids.push(
        Number(
          ins.run(datasetId, importId, i + 2, e.utcMs, offsetS, e.lat, e.lon, locId, code, dup)
            .lastInsertRowid,
        ),
      );
    });
  })();
  return datasetId;
}

const MPD_TYPES: Record<string, EventType> = {
  Single_Gunshot: 'single',
  Multiple_Gunshots: 'multiple',
  Gunshot_or_Firecracker: 'gunshot_or_firecracker',
};

/**
 * Reads the DC MPD normalized CSV into fixture events (America/New_York), flagging a row as a duplicate
 * when an earlier row has the same type, second and coordinates (the data README's rule).
 */
export function readMpdNormalized(file: string): FixtureEvent[] {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const out: FixtureEvent[] = [];
  const seen = new Map<string, number>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    const [, type, dt, , lat, lon] = line.split(',');
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(dt);
    if (!m) throw new Error(`${file} line ${i + 1}: bad DATETIME '${dt}'`);
    const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
    const key = `${type}|${dt}|${lat}|${lon}`;
    const prev = seen.get(key);
    if (prev === undefined) seen.set(key, out.length);
    out.push({
      utcMs: localToUtc('America/New_York', y, mo, d, h, mi, s),
      lat: Number(lat),
      lon: Number(lon),
      type: MPD_TYPES[type] ?? 'unknown',
      duplicateOf: prev,
    });
  }
  return out;
}
