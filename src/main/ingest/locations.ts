/**
 * The stable integer id of each distinct coordinate pair (rounded to micro-degrees), shared by all
 * datasets, for the thread that writes an import. `lookup` finds or adds the pair in SQLite (inside
 * the import's transaction, so a failed import adds none); a bounded cache in typed arrays spares it
 * for pairs seen recently, so a row costs a hash probe, and memory stays the same however many
 * locations the database or the file holds. When the cache is half full it starts over.
 */
export class LocationIds {
  private readonly lat: Int32Array;
  private readonly lon: Int32Array;
  /** 0 marks an empty slot (SQLite's ids start at 1). */
  private readonly ids: Int32Array;
  private readonly mask: number;
  private used = 0;
  private lastLat = NaN;
  private lastLon = NaN;
  private lastId = 0;

  constructor(
    private readonly lookup: (latE6: number, lonE6: number) => number,
    slots = 1 << 18,
  ) {
    this.lat = new Int32Array(slots);
    this.lon = new Int32Array(slots);
    this.ids = new Int32Array(slots);
    this.mask = slots - 1;
  }

  idFor(lat: number, lon: number): number {
    const latE6 = Math.round(lat * 1e6);
    const lonE6 = Math.round(lon * 1e6);
    if (latE6 === this.lastLat && lonE6 === this.lastLon) return this.lastId;
    let slot = slotOf(latE6, lonE6, this.mask);
    let id = 0;
    while (this.ids[slot] !== 0) {
      if (this.lat[slot] === latE6 && this.lon[slot] === lonE6) {
        id = this.ids[slot];
        break;
      }
      slot = (slot + 1) & this.mask;
    }
    if (id === 0) {
      id = this.lookup(latE6, lonE6);
      if (++this.used * 2 > this.mask) {
        this.ids.fill(0);
        this.used = 1;
        slot = slotOf(latE6, lonE6, this.mask);
      }
      this.lat[slot] = latE6;
      this.lon[slot] = lonE6;
      this.ids[slot] = id;
    }
    this.lastLat = latE6;
    this.lastLon = lonE6;
    this.lastId = id;
    return id;
  }
}

function slotOf(latE6: number, lonE6: number, mask: number): number {
  let h = Math.imul(latE6 ^ Math.imul(lonE6, 0x85ebca6b), 0x9e3779b1);
  h ^= h >>> 15;
  return h & mask;
}
