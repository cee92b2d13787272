/**
 * Finds, among the events of one import, an earlier event with the same type, the same whole second
 * and the same location (micro-degree coordinates): the same shot reported by two neighbouring
 * sensor networks.
 *
 * Events are numbered 0.. in insertion order. Memory is bounded: the index keeps the last one or two
 * generations of `generationSize` events (an open-addressing hash table from (second, type) to the
 * latest event with that key, plus a chain through earlier events with the same key, all in typed
 * arrays), so a file of any length costs at most two generations (about 20 MB at the default size).
 *
 * A file in time order finds every duplicate within the window. An event whose second is not after
 * every event already dropped from the window might duplicate one of them: `lastUnsure` says so, and
 * the importer checks such events against the stored rows once they are written (see
 * fixDuplicateLinks). A file in time order has none.
 */
export class DuplicateIndex {
  private cur: Generation;
  private prev: Generation;
  private curBase = 0;
  private prevBase = 0;
  private count = 0;
  /** The latest second of any event dropped from the window. */
  private droppedMaxSecond = -Infinity;
  /** Whether the event just added may duplicate a dropped one (see the class comment). */
  lastUnsure = false;

  constructor(private readonly generationSize = 1 << 18) {
    this.cur = new Generation(generationSize);
    this.prev = new Generation(generationSize);
  }

  /**
   * Registers event number `size` (the next one) and returns the number of the first earlier event
   * in the window it duplicates, or -1.
   */
  add(second: number, typeIndex: number, latE6: number, lonE6: number): number {
    if (this.cur.n === this.generationSize) {
      if (this.prev.maxSecond > this.droppedMaxSecond) this.droppedMaxSecond = this.prev.maxSecond;
      const dropped = this.prev;
      dropped.reset();
      this.prev = this.cur;
      this.cur = dropped;
      this.prevBase = this.curBase;
      this.curBase = this.count;
    }
    this.lastUnsure = second <= this.droppedMaxSecond;
    const key = second * 4 + typeIndex;
    let found = this.prev.find(key, latE6, lonE6);
    if (found >= 0) found += this.prevBase;
    else {
      found = this.cur.find(key, latE6, lonE6);
      if (found >= 0) found += this.curBase;
    }
    this.cur.insert(key, latE6, lonE6, second);
    this.count++;
    return found;
  }

  get size(): number {
    return this.count;
  }
}

/** Up to `capacity` events: a hash table from key to the latest event, chains to earlier ones. */
class Generation {
  n = 0;
  maxSecond = -Infinity;
  private keys = new Float64Array(INITIAL_SLOTS);
  private heads = new Int32Array(INITIAL_SLOTS).fill(-1);
  private mask = INITIAL_SLOTS - 1;
  private used = 0;
  private lat = new Int32Array(INITIAL_SLOTS);
  private lon = new Int32Array(INITIAL_SLOTS);
  private next = new Int32Array(INITIAL_SLOTS);

  constructor(private readonly capacity: number) {}

  /** The earliest event with this key and location, or -1. */
  find(key: number, latE6: number, lonE6: number): number {
    let slot = slotOf(key, this.mask);
    while (this.heads[slot] >= 0 && this.keys[slot] !== key) slot = (slot + 1) & this.mask;
    let found = -1;
    for (let j = this.heads[slot]; j >= 0; j = this.next[j]) {
      if (this.lat[j] === latE6 && this.lon[j] === lonE6) found = j;
    }
    return found;
  }

  insert(key: number, latE6: number, lonE6: number, second: number): void {
    const i = this.n++;
    if (i === this.lat.length) this.growEvents();
    let slot = slotOf(key, this.mask);
    while (this.heads[slot] >= 0 && this.keys[slot] !== key) slot = (slot + 1) & this.mask;
    const head = this.heads[slot];
    this.lat[i] = latE6;
    this.lon[i] = lonE6;
    this.next[i] = head;
    this.heads[slot] = i;
    if (head < 0) {
      this.keys[slot] = key;
      if (++this.used * 2 > this.mask) this.growTable();
    }
    if (second > this.maxSecond) this.maxSecond = second;
  }

  reset(): void {
    this.n = 0;
    this.used = 0;
    this.maxSecond = -Infinity;
    this.heads.fill(-1);
  }

  private growEvents(): void {
    const size = Math.min(this.lat.length * 2, this.capacity);
    for (const name of ['lat', 'lon', 'next'] as const) {
      const a = new Int32Array(size);
      a.set(this[name]);
      this[name] = a;
    }
  }

  private growTable(): void {
    const oldKeys = this.keys;
    const oldHeads = this.heads;
    const size = oldKeys.length * 2;
    this.keys = new Float64Array(size);
    this.heads = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    for (let s = 0; s < oldKeys.length; s++) {
      if (oldHeads[s] < 0) continue;
      let slot = slotOf(oldKeys[s], this.mask);
      while (this.heads[slot] >= 0) slot = (slot + 1) & this.mask;
      this.keys[slot] = oldKeys[s];
      this.heads[slot] = oldHeads[s];
    }
  }
}

const INITIAL_SLOTS = 1 << 12;

function slotOf(key: number, mask: number): number {
  // Mix the low and high 32 bits: keys are seconds since 1970 times 4, well past 2^32.
  const lo = key >>> 0;
  const hi = (key / 4294967296) | 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
  h ^= h >>> 15;
  return h & mask;
}
