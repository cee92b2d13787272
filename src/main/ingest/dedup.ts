/**
 * Finds, among the events of one import, an earlier event with the same type, the same whole second
 * and the same location: the same shot reported by two neighbouring sensor networks.
 *
 * Events are numbered 0.. in insertion order. An open-addressing hash table from (second, type) to the
 * latest event with that key, plus a chain through earlier events with the same key but another
 * location, all in typed arrays: a million events cost about 40 MB and no garbage, where a Map with
 * (non-Smi) number keys cost several times that and dominated the import's profile.
 */
export class DuplicateIndex {
  private keys = new Float64Array(1 << 16);
  private heads = new Int32Array(1 << 16).fill(-1);
  private mask = (1 << 16) - 1;
  private used = 0;
  private locs = new Int32Array(1 << 16);
  private next = new Int32Array(1 << 16);
  private count = 0;

  /**
   * Registers event number `size` (the next one) and returns the number of the first earlier event it
   * duplicates, or -1.
   */
  add(second: number, typeIndex: number, locationId: number): number {
    const key = second * 4 + typeIndex;
    const i = this.count++;
    if (i === this.locs.length) this.growEvents();
    let slot = slotOf(key, this.mask);
    while (this.heads[slot] >= 0 && this.keys[slot] !== key) slot = (slot + 1) & this.mask;
    const head = this.heads[slot];
    let found = -1;
    for (let j = head; j >= 0; j = this.next[j]) {
      if (this.locs[j] === locationId) found = j;
    }
    this.locs[i] = locationId;
    this.next[i] = head;
    this.heads[slot] = i;
    if (head < 0) {
      this.keys[slot] = key;
      if (++this.used * 2 > this.mask) this.growTable();
    }
    return found;
  }

  get size(): number {
    return this.count;
  }

  private growEvents(): void {
    const locs = new Int32Array(this.locs.length * 2);
    locs.set(this.locs);
    this.locs = locs;
    const next = new Int32Array(this.next.length * 2);
    next.set(this.next);
    this.next = next;
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

function slotOf(key: number, mask: number): number {
  // Mix the low and high 32 bits: keys are seconds since 1970 times 4, well past 2^32.
  const lo = key >>> 0;
  const hi = (key / 4294967296) | 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
  h ^= h >>> 15;
  return h & mask;
}
