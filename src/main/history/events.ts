/**
 * A history's events per step, sparse (issue #19): memory grows with the events, not with cells ×
 * steps. Two layers, each a list of entries per step (step s holds entries start[s] .. start[s+1]−1):
 *
 * - the total: one entry per cell with at least one event in the step, typed or not, and its count;
 * - the typed: one entry per (type channel, cell) with a typed event, and its count.
 *
 * Counts are aggregated per cell and step, so a model that adds a step's counts into a map adds the
 * same numbers, in the same order of steps, as it did from a dense [steps, cells] array: the results
 * are the same to the last bit. Dense arrays are built only for what a model needs right now: one
 * step (O(cells)), or a short window of steps (the network's input).
 */

/** The raw arrays of both layers (step offsets into entry arrays). */
export interface EventStore {
  steps: number;
  cells: number;
  types: number;
  totalStart: Int32Array; // steps + 1
  totalCell: Int32Array;
  totalN: Float32Array;
  typedStart: Int32Array; // steps + 1
  typedCell: Int32Array;
  typedCode: Uint8Array;
  typedN: Float32Array;
}

/** A growable buffer of the entries of successive steps, sorted by cell (and type) within a step. */
export class EventStoreBuilder {
  private steps = 0;
  private readonly totalStart: number[] = [0];
  private readonly typedStart: number[] = [0];
  private totalCell = new Int32Array(1024);
  private totalN = new Float32Array(1024);
  private nTotal = 0;
  private typedCell = new Int32Array(1024);
  private typedCode = new Uint8Array(1024);
  private typedN = new Float32Array(1024);
  private nTyped = 0;
  // The current step's events: cell and channel (−1 untyped).
  private curCell: number[] = [];
  private curCode: number[] = [];

  constructor(
    readonly cells: number,
    readonly types: number,
  ) {}

  add(cell: number, channel: number): void {
    this.curCell.push(cell);
    this.curCode.push(channel);
  }

  /** Closes the current step (its events become its entries) and starts the next. */
  endStep(): void {
    const n = this.curCell.length;
    if (n > 0) {
      const order = Array.from({ length: n }, (_, i) => i).sort(
        (a, b) => this.curCell[a] - this.curCell[b] || this.curCode[a] - this.curCode[b],
      );
      for (let j = 0; j < n;) {
        const c = this.curCell[order[j]];
        let k = j;
        while (k < n && this.curCell[order[k]] === c) k++;
        this.pushTotal(c, k - j);
        for (let m = j; m < k;) {
          const code = this.curCode[order[m]];
          let e = m;
          while (e < k && this.curCode[order[e]] === code) e++;
          if (code >= 0) this.pushTyped(c, code, e - m);
          m = e;
        }
        j = k;
      }
      this.curCell = [];
      this.curCode = [];
    }
    this.steps++;
    this.totalStart.push(this.nTotal);
    this.typedStart.push(this.nTyped);
  }

  private pushTotal(cell: number, n: number): void {
    if (this.nTotal === this.totalCell.length) {
      this.totalCell = grow(this.totalCell, Int32Array);
      this.totalN = grow(this.totalN, Float32Array);
    }
    this.totalCell[this.nTotal] = cell;
    this.totalN[this.nTotal++] = n;
  }

  private pushTyped(cell: number, code: number, n: number): void {
    if (this.nTyped === this.typedCell.length) {
      this.typedCell = grow(this.typedCell, Int32Array);
      this.typedCode = grow(this.typedCode, Uint8Array);
      this.typedN = grow(this.typedN, Float32Array);
    }
    this.typedCell[this.nTyped] = cell;
    this.typedCode[this.nTyped] = code;
    this.typedN[this.nTyped++] = n;
  }

  build(): EventStore {
    return {
      steps: this.steps,
      cells: this.cells,
      types: this.types,
      totalStart: Int32Array.from(this.totalStart),
      totalCell: this.totalCell.slice(0, this.nTotal),
      totalN: this.totalN.slice(0, this.nTotal),
      typedStart: Int32Array.from(this.typedStart),
      typedCell: this.typedCell.slice(0, this.nTyped),
      typedCode: this.typedCode.slice(0, this.nTyped),
      typedN: this.typedN.slice(0, this.nTyped),
    };
  }
}

type TypedArrayCtor<T> = { new (n: number): T };
function grow<T extends Int32Array | Float32Array | Uint8Array>(a: T, ctor: TypedArrayCtor<T>): T {
  const out = new ctor(a.length * 2);
  out.set(a);
  return out;
}

/** The store of dense per-step counts ([steps, cells] total and [steps, types, cells] typed), for tests and converters. */
export function storeOfDense(
  total: ArrayLike<number>,
  typed: ArrayLike<number> | null,
  steps: number,
  types: number,
  cells: number,
): EventStore {
  const totalStart = new Int32Array(steps + 1);
  const typedStart = new Int32Array(steps + 1);
  const tc: number[] = [];
  const tn: number[] = [];
  const kc: number[] = [];
  const kk: number[] = [];
  const kn: number[] = [];
  for (let s = 0; s < steps; s++) {
    for (let c = 0; c < cells; c++) {
      const v = total[s * cells + c];
      if (v !== 0) {
        tc.push(c);
        tn.push(v);
      }
      if (typed)
        for (let k = 0; k < types; k++) {
          const w = typed[(s * types + k) * cells + c];
          if (w !== 0) {
            kc.push(c);
            kk.push(k);
            kn.push(w);
          }
        }
    }
    totalStart[s + 1] = tc.length;
    typedStart[s + 1] = kc.length;
  }
  return {
    steps,
    cells,
    types,
    totalStart,
    totalCell: Int32Array.from(tc),
    totalN: Float32Array.from(tn),
    typedStart,
    typedCell: Int32Array.from(kc),
    typedCode: Uint8Array.from(kk),
    typedN: Float32Array.from(kn),
  };
}

/** Bytes held by a store's arrays. */
export function storeBytes(s: EventStore): number {
  return (
    s.totalStart.byteLength +
    s.totalCell.byteLength +
    s.totalN.byteLength +
    s.typedStart.byteLength +
    s.typedCell.byteLength +
    s.typedCode.byteLength +
    s.typedN.byteLength
  );
}

/**
 * Read access to steps [from, from + steps) of a store, by local step index 0 ≤ s < steps. Every
 * accessor checks its steps, so a view cannot reach a step it was not given. `source` identifies
 * the buffer the view reads (models carrying state from view to view compare it).
 */
export class StepEvents {
  constructor(
    private readonly store: EventStore,
    readonly from: number,
    readonly steps: number,
    readonly source: object = store,
  ) {
    if (from < 0 || steps < 0 || from + steps > store.steps)
      throw new RangeError(`steps ${from}..${from + steps} outside the store's ${store.steps}`);
  }

  get cells(): number {
    return this.store.cells;
  }
  get types(): number {
    return this.store.types;
  }

  private check(from: number, to: number): void {
    if (from < 0 || to > this.steps || from > to)
      throw new RangeError(`steps ${from}..${to} outside the visible 0..${this.steps}`);
  }

  /** A view of local steps [from, to). */
  window(from: number, to: number): StepEvents {
    this.check(from, to);
    return new StepEvents(this.store, this.from + from, to - from, this.source);
  }

  /** Events (typed or not) in steps [from, to). */
  count(from = 0, to = this.steps): number {
    this.check(from, to);
    const { totalStart, totalN } = this.store;
    let n = 0;
    for (let i = totalStart[this.from + from]; i < totalStart[this.from + to]; i++) n += totalN[i];
    return n;
  }

  /** acc[cell] += w × events of the cell, typed or not, for each step of [from, to) in order. */
  addTotal(acc: { [i: number]: number }, from: number, to: number, w = 1): void {
    from = Math.max(0, from);
    if (to <= from) return;
    this.check(from, to);
    const { totalStart, totalCell, totalN } = this.store;
    const end = totalStart[this.from + to];
    if (w === 1) for (let i = totalStart[this.from + from]; i < end; i++) acc[totalCell[i]] += totalN[i];
    else for (let i = totalStart[this.from + from]; i < end; i++) acc[totalCell[i]] += w * totalN[i];
  }

  /** acc[type × cells + cell] += w × typed events, for each step of [from, to). */
  addTyped(acc: { [i: number]: number }, from: number, to: number, w = 1): void {
    from = Math.max(0, from);
    if (to <= from) return;
    this.check(from, to);
    const { typedStart, typedCell, typedCode, typedN, cells } = this.store;
    const end = typedStart[this.from + to];
    for (let i = typedStart[this.from + from]; i < end; i++)
      acc[typedCode[i] * cells + typedCell[i]] += w * typedN[i];
  }

  /** Typed events per channel over [from, to). */
  typeTotals(from = 0, to = this.steps): Float64Array {
    this.check(from, to);
    const { typedStart, typedCode, typedN, types } = this.store;
    const out = new Float64Array(types);
    for (let i = typedStart[this.from + from]; i < typedStart[this.from + to]; i++)
      out[typedCode[i]] += typedN[i];
    return out;
  }

  /** Calls f(cell, n) for each cell with events in step s (cells ascending). */
  forEachTotal(s: number, f: (cell: number, n: number) => void): void {
    this.check(s, s + 1);
    const { totalStart, totalCell, totalN } = this.store;
    for (let i = totalStart[this.from + s]; i < totalStart[this.from + s + 1]; i++)
      f(totalCell[i], totalN[i]);
  }

  /** Step s's events per cell, typed or not: dense, O(cells). */
  total(s: number, into = new Float32Array(this.cells)): Float32Array {
    this.check(s, s + 1);
    into.fill(0);
    this.addTotal(into, s, s + 1);
    return into;
  }

  /** Step s's typed events per [type, cell]: dense, O(types × cells). */
  typed(s: number, into = new Float32Array(this.types * this.cells)): Float32Array {
    this.check(s, s + 1);
    into.fill(0);
    this.addTyped(into, s, s + 1);
    return into;
  }

  /** Dense [to − from, cells] totals of a window of steps (the network's input; tests). */
  denseTotal(from = 0, to = this.steps): Float32Array {
    this.check(from, to);
    const cells = this.cells;
    const out = new Float32Array((to - from) * cells);
    for (let s = from; s < to; s++)
      this.addTotal(out.subarray((s - from) * cells, (s - from + 1) * cells), s, s + 1);
    return out;
  }

  /** Dense [to − from, types, cells] typed counts of a window of steps. */
  denseTyped(from = 0, to = this.steps): Float32Array {
    this.check(from, to);
    const n = this.types * this.cells;
    const out = new Float32Array((to - from) * n);
    for (let s = from; s < to; s++) this.addTyped(out.subarray((s - from) * n, (s - from + 1) * n), s, s + 1);
    return out;
  }
}
