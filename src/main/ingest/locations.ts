import type { LocationSeed } from '../db/queries/ingest.ts';

/**
 * The stable integer id of each distinct coordinate pair (rounded to micro-degrees), shared by all
 * datasets. Held in memory for the import so that a row costs a Map lookup, not a query. A new pair
 * gets the next id after the largest stored one, and is recorded in `added` for the writer to insert
 * (inside the import's transaction, so a failed import adds none). Needs no database: a parsing
 * worker holds one seeded from the stored locations.
 */
export class LocationCache {
  /** lat_e6 → (lon_e6 → id). Nested because the pair does not fit one exact double key. */
  private readonly byLat = new Map<number, Map<number, number>>();
  private lastLat = NaN;
  private lastLon = NaN;
  private lastId = 0;
  private nextId: number;
  /** New locations since the last `take`: id, lat_e6, lon_e6, … */
  private added: number[] = [];

  constructor(seed: LocationSeed) {
    let max = 0;
    for (let i = 0; i < seed.id.length; i++) {
      this.put(seed.latE6[i], seed.lonE6[i], seed.id[i]);
      if (seed.id[i] > max) max = seed.id[i];
    }
    this.nextId = max + 1;
  }

  idFor(lat: number, lon: number): number {
    const latE6 = Math.round(lat * 1e6);
    const lonE6 = Math.round(lon * 1e6);
    if (latE6 === this.lastLat && lonE6 === this.lastLon) return this.lastId;
    let id = this.byLat.get(latE6)?.get(lonE6);
    if (id === undefined) {
      id = this.nextId++;
      this.put(latE6, lonE6, id);
      this.added.push(id, latE6, lonE6);
    }
    this.lastLat = latE6;
    this.lastLon = lonE6;
    this.lastId = id;
    return id;
  }

  /** Hands over the locations added since the last call. */
  take(): number[] {
    const a = this.added;
    this.added = [];
    return a;
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
