import type { Statement } from 'better-sqlite3';
import type { WritableDb } from '../db/connection.ts';
import { allLocations, insertLocationStatement } from '../db/queries/ingest.ts';

/**
 * The stable integer id of each distinct coordinate pair (rounded to micro-degrees), shared by all
 * datasets. Held in memory for the import so that a row costs a Map lookup, not a query; new pairs
 * are inserted as they appear (inside the import's transaction, so a failed import adds none).
 */
export class LocationCache {
  /** lat_e6 → (lon_e6 → id). Nested because the pair does not fit one exact double key. */
  private readonly byLat = new Map<number, Map<number, number>>();
  private readonly insert: Statement<[number, number]>;
  private lastLat = NaN;
  private lastLon = NaN;
  private lastId = 0;
  added = 0;

  constructor(db: WritableDb) {
    for (const l of allLocations(db)) this.put(l.lat, l.lon, l.id);
    this.insert = insertLocationStatement(db);
  }

  idFor(lat: number, lon: number): number {
    const latE6 = Math.round(lat * 1e6);
    const lonE6 = Math.round(lon * 1e6);
    if (latE6 === this.lastLat && lonE6 === this.lastLon) return this.lastId;
    let inner = this.byLat.get(latE6);
    let id = inner?.get(lonE6);
    if (id === undefined) {
      id = Number(this.insert.run(latE6, lonE6).lastInsertRowid);
      if (!inner) {
        inner = new Map();
        this.byLat.set(latE6, inner);
      }
      inner.set(lonE6, id);
      this.added++;
    }
    this.lastLat = latE6;
    this.lastLon = lonE6;
    this.lastId = id;
    return id;
  }

  private put(latE6: number, lonE6: number, id: number): void {
    let inner = this.byLat.get(latE6);
    if (!inner) {
      inner = new Map();
      this.byLat.set(latE6, inner);
    }
    inner.set(lonE6, id);
  }
}
