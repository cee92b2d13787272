/**
 * Enumeration of every connected group (fixed polyomino, 4-adjacency) of at most M allowed cells on a
 * row-major grid, each exactly once.
 *
 * Redelmeier's algorithm (1981): a group is generated only from its smallest cell in row-major order
 * (the anchor), and a cell joins the "untried" set once per branch, so no group is produced twice and no
 * deduplication table is needed. On an open plane the counts per anchor are the fixed-polyomino numbers
 * 1, 2, 6, 19, 63, 216 for sizes 1..6, which the tests check.
 */

export interface CellGrid {
  rows: number;
  cols: number;
  /** 1 where a cell may belong to a group (study area); every cell when absent. */
  allowed?: ArrayLike<number>;
}

/** Candidate groups in compressed form: the cells of group g are cells[offsets[g] .. offsets[g+1]). */
export interface Groups {
  count: number;
  offsets: Int32Array;
  cells: Int32Array;
}

/**
 * Calls visit(cells, size) for every connected group of 1..maxCells allowed cells. `cells` is a scratch
 * buffer owned by the enumerator: copy what you keep.
 */
export function forEachGroup(
  grid: CellGrid,
  maxCells: number,
  visit: (cells: Int32Array, size: number) => void,
): void {
  const { rows, cols } = grid;
  const n = rows * cols;
  const allowed = grid.allowed;
  // seen[c] marks cells in the group or already offered as untried on the current branch.
  const seen = new Uint8Array(n);
  const poly = new Int32Array(maxCells);
  // One untried stack per depth; a cell can be offered at most 4 * maxCells times along a branch.
  const untried: Int32Array[] = [];
  for (let d = 0; d <= maxCells; d++) untried.push(new Int32Array(4 * maxCells + 1));
  const neighbours = new Int32Array(4);

  const isFree = (c: number, anchor: number): boolean =>
    c > anchor && seen[c] === 0 && (allowed === undefined || allowed[c] !== 0);

  const recurse = (size: number, depthUntried: Int32Array, untriedLen: number, anchor: number): void => {
    // Each level owns its untried list; popping is permanent for this level (Redelmeier's rule).
    let len = untriedLen;
    const marked: number[] = [];
    while (len > 0) {
      const c = depthUntried[--len];
      poly[size] = c;
      visit(poly, size + 1);
      if (size + 1 < maxCells) {
        const next = untried[size + 1];
        next.set(depthUntried.subarray(0, len));
        let nextLen = len;
        const r = (c / cols) | 0;
        const col = c - r * cols;
        let k = 0;
        if (r > 0) neighbours[k++] = c - cols;
        if (col > 0) neighbours[k++] = c - 1;
        if (col < cols - 1) neighbours[k++] = c + 1;
        if (r < rows - 1) neighbours[k++] = c + cols;
        for (let i = 0; i < k; i++) {
          const nb = neighbours[i];
          if (isFree(nb, anchor)) {
            seen[nb] = 1;
            marked.push(nb);
            next[nextLen++] = nb;
          }
        }
        recurse(size + 1, next, nextLen, anchor);
        for (const m of marked) seen[m] = 0;
        marked.length = 0;
      }
    }
  };

  for (let anchor = 0; anchor < n; anchor++) {
    if (allowed !== undefined && allowed[anchor] === 0) continue;
    seen[anchor] = 1;
    const first = untried[0];
    first[0] = anchor;
    recurse(0, first, 1, anchor);
    seen[anchor] = 0;
  }
}

/** Row and column of a cell index. */
export function rowCol(cell: number, cols: number): [number, number] {
  const r = Math.floor(cell / cols);
  return [r, cell - r * cols];
}

/** True when the cells form one 4-connected group (used by tests and as a guard on results). */
export function isConnected(cells: readonly number[], cols: number): boolean {
  if (cells.length === 0) return false;
  const set = new Set(cells);
  const stack = [cells[0]];
  const reached = new Set([cells[0]]);
  while (stack.length > 0) {
    const c = stack.pop() as number;
    const [r, col] = rowCol(c, cols);
    const nbs = [col > 0 ? c - 1 : -1, col < cols - 1 ? c + 1 : -1, r > 0 ? c - cols : -1, c + cols];
    for (const nb of nbs) {
      if (nb >= 0 && set.has(nb) && !reached.has(nb)) {
        reached.add(nb);
        stack.push(nb);
      }
    }
  }
  return reached.size === set.size;
}

/** Number of separate 4-connected clusters among the given cells. */
export function countClusters(cells: readonly number[], cols: number): number {
  const set = new Set(cells);
  const done = new Set<number>();
  let clusters = 0;
  for (const start of cells) {
    if (done.has(start)) continue;
    clusters++;
    const stack = [start];
    done.add(start);
    while (stack.length > 0) {
      const c = stack.pop() as number;
      const [r, col] = rowCol(c, cols);
      const nbs = [col > 0 ? c - 1 : -1, col < cols - 1 ? c + 1 : -1, r > 0 ? c - cols : -1, c + cols];
      for (const nb of nbs) {
        if (nb >= 0 && set.has(nb) && !done.has(nb)) {
          done.add(nb);
          stack.push(nb);
        }
      }
    }
  }
  return clusters;
}
