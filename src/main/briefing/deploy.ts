/**
 * Unit deployment: choose N non-overlapping patrol areas, each a 4-connected group of at most M cells,
 * that together hold the largest share of the forecast risk (the expected share of next-step events).
 *
 * Method (exact, with a proof of optimality or a stated gap):
 * 1. Every connected group of ≤ M study cells is enumerated once (Redelmeier, see polyominoes.ts).
 *    Groups that cannot be part of a better solution than a quick greedy one are dropped: a group of
 *    value v sits in a solution worth at most v + (the N−1)·M highest cells, so if that is below the
 *    greedy value the group is useless. A group with a zero-risk cell that could be removed while staying
 *    connected is dominated by the smaller group and dropped too (no unit is sent to empty blocks).
 * 2. Greedy (best group first, skip overlaps) improved by single swaps gives the incumbent.
 * 3. Branch and bound over cells in decreasing risk: the riskiest free cell is either covered by one of
 *    the groups containing it, or excluded. The bound at a node is the current value plus the k·M
 *    riskiest free cells, where k units are left. When the search finishes inside its node budget the
 *    result is optimal; otherwise the incumbent is returned with `optimal: false` and `upperBound` (the
 *    N·M riskiest cells) bounds how much better the optimum can be.
 */
import { countClusters, forEachGroup } from './polyominoes.ts';
import { rankCells, studyCellsOf } from '../evaluate/metrics.ts';

export interface RiskField {
  rows: number;
  cols: number;
  /** Row-major, cell (0,0) at the north-west corner. */
  risk: ArrayLike<number>;
  /** 1 for cells in the study area; every cell when absent. */
  studyMask?: ArrayLike<number>;
}

export interface DeployOptions {
  units: number;
  /** Largest patrol area in cells (default 4, at most 6). */
  maxCells?: number;
  /** Branch-and-bound nodes before settling for the incumbent (default 200 000). */
  nodeBudget?: number;
}

export interface PatrolArea {
  /** 1 = the area with the most risk. */
  rank: number;
  /** Row-major cell indices, ascending. */
  cells: number[];
  risk: number;
  /** risk / total risk of the study area: the expected share of next-step events. */
  share: number;
}

export interface Deployment {
  units: number;
  maxCells: number;
  areas: PatrolArea[];
  totalRisk: number;
  /** Expected share of next-step events inside the areas. */
  coverage: number;
  /** Cells in all areas together. */
  cells: number;
  /** The simpler alternative: the same number of cells taken one by one from the top of the ranking. */
  topCells: { cells: number; coverage: number; clusters: number };
  /** No choice of N areas of ≤ M cells can cover more than this share. */
  upperBound: number;
  optimal: boolean;
  nodes: number;
  method: string;
}

export const DEFAULT_MAX_CELLS = 4;

/** A deployment as the briefing reports it: the figures, without the areas' search internals. */
export function deploymentSummary(d: Deployment) {
  const { units, maxCells, coverage, cells, topCells, upperBound, optimal, method } = d;
  return { units, maxCells, coverage, cells, topCells, upperBound, optimal, method };
}
const MAX_MAX_CELLS = 6;
// About 0.3 µs a node: a million nodes is a fraction of a second, enough to prove most DC deployments.
const DEFAULT_NODE_BUDGET = 1_000_000;

interface Candidates {
  count: number;
  value: Float64Array;
  offsets: Int32Array;
  cells: Int32Array;
}

export function deployUnits(field: RiskField, opts: DeployOptions): Deployment {
  const maxCells = opts.maxCells ?? DEFAULT_MAX_CELLS;
  if (!Number.isInteger(opts.units) || opts.units < 1)
    throw new RangeError(`units must be ≥ 1, got ${opts.units}`);
  if (!Number.isInteger(maxCells) || maxCells < 1 || maxCells > MAX_MAX_CELLS)
    throw new RangeError(`maxCells must be an integer 1..${MAX_MAX_CELLS}, got ${maxCells}`);
  const { rows, cols } = field;
  const n = rows * cols;
  if (field.risk.length !== n) throw new RangeError(`risk has ${field.risk.length} cells, grid has ${n}`);
  const risk = new Float64Array(n);
  const allowed = new Uint8Array(n);
  let totalRisk = 0;
  for (let c = 0; c < n; c++) {
    if (field.studyMask !== undefined && field.studyMask[c] === 0) continue;
    allowed[c] = 1;
    const r = field.risk[c];
    // A forecaster's NaN or negative output means "no evidence"; it must not steer units.
    risk[c] = Number.isFinite(r) && r > 0 ? r : 0;
    totalRisk += risk[c];
  }
  const units = opts.units;
  const sortedCells = rankMasked(risk, allowed);
  const topSum = (k: number): number => {
    let s = 0;
    for (let i = 0; i < Math.min(k, sortedCells.length); i++) s += risk[sortedCells[i]];
    return s;
  };
  const upper = topSum(units * maxCells);
  // A quick incumbent from the best few groups sets the pruning threshold for the full enumeration.
  const quick = greedy(topGroups(risk, allowed, rows, cols, maxCells, Math.max(64, 16 * units)), units);
  const threshold = quick.length === units ? sumValues(quick) - topSum((units - 1) * maxCells) : -Infinity;
  const cands = collectCandidates(risk, allowed, rows, cols, maxCells, threshold);
  const order = sortByValue(cands);
  let best = improveBySwaps(cands, order, greedyIndices(cands, order, units, n), n);
  let bestValue = best.reduce((s, g) => s + cands.value[g], 0);

  const search = branchAndBound(
    cands,
    order,
    risk,
    n,
    units,
    maxCells,
    opts.nodeBudget ?? DEFAULT_NODE_BUDGET,
  );
  const found = search.run(bestValue);
  if (found.value > bestValue) {
    best = found.groups;
    bestValue = found.value;
  }

  const areas = best
    .map((g) => {
      const cells = Array.from(cands.cells.subarray(cands.offsets[g], cands.offsets[g + 1])).sort(
        (a, b) => a - b,
      );
      const v = cands.value[g];
      return { rank: 0, cells, risk: v, share: totalRisk > 0 ? v / totalRisk : 0 };
    })
    .sort((a, b) => b.risk - a.risk || a.cells[0] - b.cells[0])
    .map((a, i) => ({ ...a, rank: i + 1 }));
  const usedCells = areas.reduce((s, a) => s + a.cells.length, 0);
  const top = sortedCells.slice(0, usedCells);
  const share = (v: number): number => (totalRisk > 0 ? v / totalRisk : 0);
  return {
    units,
    maxCells,
    areas,
    totalRisk,
    coverage: share(bestValue),
    cells: usedCells,
    topCells: { cells: top.length, coverage: share(topSum(usedCells)), clusters: countClusters(top, cols) },
    upperBound: share(
      Math.max(bestValue, Math.min(upper, lagrangianBound(cands, risk, sortedCells, units, maxCells))),
    ),
    optimal: !search.aborted(),
    nodes: search.nodes(),
    method: search.aborted()
      ? 'greedy with swaps; branch and bound stopped at its node budget'
      : 'branch and bound (proven optimal)',
  };
}

/**
 * A Lagrangian upper bound on the best N disjoint groups: price every cell at max(0, r − θ); then any N
 * groups are worth at most Σ_c max(0, r_c − θ) plus the N best groups valued at Σ min(r_c, θ). With θ at
 * the N·M-th cell this is never worse than the top-cells bound, and it is much tighter when the hottest
 * cells are scattered, because a connected group cannot then hold M cells above θ. Several θ are tried.
 */
function lagrangianBound(
  c: Candidates,
  risk: Float64Array,
  sorted: number[],
  units: number,
  maxCells: number,
): number {
  let best = Infinity;
  const km = units * maxCells;
  for (const f of [0.25, 0.5, 0.75, 1, 1.5, 2]) {
    const pos = Math.min(sorted.length - 1, Math.max(0, Math.round(km * f) - 1));
    if (pos < 0) break;
    const theta = risk[sorted[pos]];
    let base = 0;
    for (const cell of sorted) base += Math.max(0, risk[cell] - theta);
    const top = new Float64Array(units);
    for (let g = 0; g < c.count; g++) {
      let v = 0;
      for (let i = c.offsets[g]; i < c.offsets[g + 1]; i++) v += Math.min(risk[c.cells[i]], theta);
      if (v <= top[units - 1]) continue;
      let j = units - 1;
      while (j > 0 && top[j - 1] < v) {
        top[j] = top[j - 1];
        j--;
      }
      top[j] = v;
    }
    best = Math.min(best, base + top.reduce((s, v) => s + v, 0));
  }
  return best;
}

/** The cells a mask allows by decreasing risk: the evaluation's ranking (evaluate/metrics.ts), on a mask. */
export function rankMasked(risk: ArrayLike<number>, allowed: ArrayLike<number>): number[] {
  return Array.from(rankCells(risk, studyCellsOf(allowed)));
}

interface Group {
  value: number;
  cells: number[];
}

function sumValues(groups: Group[]): number {
  return groups.reduce((s, g) => s + g.value, 0);
}

function groupValue(risk: Float64Array, cells: Int32Array, size: number): number {
  let v = 0;
  for (let i = 0; i < size; i++) v += risk[cells[i]];
  return v;
}

/** The best `keep` groups by value (a small sorted buffer; keep is a few hundred at most). */
function topGroups(
  risk: Float64Array,
  allowed: Uint8Array,
  rows: number,
  cols: number,
  maxCells: number,
  keep: number,
): Group[] {
  const out: Group[] = [];
  let floor = -Infinity;
  forEachGroup({ rows, cols, allowed }, maxCells, (cells, size) => {
    const v = groupValue(risk, cells, size);
    if (out.length >= keep && v <= floor) return;
    out.push({ value: v, cells: Array.from(cells.subarray(0, size)) });
    if (out.length > 2 * keep) {
      out.sort((a, b) => b.value - a.value);
      out.length = keep;
      floor = out[keep - 1].value;
    }
  });
  return out.sort((a, b) => b.value - a.value).slice(0, keep);
}

function greedy(groups: Group[], units: number): Group[] {
  const used = new Set<number>();
  const chosen: Group[] = [];
  for (const g of groups) {
    if (chosen.length === units) break;
    if (g.cells.some((c) => used.has(c))) continue;
    for (const c of g.cells) used.add(c);
    chosen.push(g);
  }
  return chosen;
}

/** True when a zero-risk cell could be dropped and the rest stay connected: the group is dominated. */
function hasRemovableZero(risk: Float64Array, cells: Int32Array, size: number, cols: number): boolean {
  if (size === 1) return false;
  for (let i = 0; i < size; i++) {
    if (risk[cells[i]] > 0) continue;
    const rest: number[] = [];
    for (let j = 0; j < size; j++) if (j !== i) rest.push(cells[j]);
    if (connectedSmall(rest, cols)) return true;
  }
  return false;
}

function connectedSmall(cells: number[], cols: number): boolean {
  const reached = [cells[0]];
  for (let i = 0; i < reached.length; i++) {
    const c = reached[i];
    for (const d of cells) {
      if (reached.includes(d)) continue;
      const adjacent =
        Math.abs(d - c) === cols || (Math.abs(d - c) === 1 && Math.floor(d / cols) === Math.floor(c / cols));
      if (adjacent) reached.push(d);
    }
  }
  return reached.length === cells.length;
}

function collectCandidates(
  risk: Float64Array,
  allowed: Uint8Array,
  rows: number,
  cols: number,
  maxCells: number,
  threshold: number,
): Candidates {
  let value: Float64Array = new Float64Array(1024);
  let offsets: Int32Array = new Int32Array(1025);
  let cells: Int32Array = new Int32Array(4096);
  let count = 0;
  let used = 0;
  const slack = 1e-12 * Math.max(1, Math.abs(threshold));
  forEachGroup({ rows, cols, allowed }, maxCells, (g, size) => {
    const v = groupValue(risk, g, size);
    if (v < threshold - slack) return;
    if (hasRemovableZero(risk, g, size, cols)) return;
    if (count + 1 >= value.length) {
      value = growF64(value, value.length * 2);
      offsets = growI32(offsets, offsets.length * 2);
    }
    if (used + size > cells.length) cells = growI32(cells, cells.length * 2);
    value[count] = v;
    cells.set(g.subarray(0, size), used);
    used += size;
    offsets[++count] = used;
  });
  return { count, value, offsets, cells };
}

function growF64(a: Float64Array, size: number): Float64Array {
  const b = new Float64Array(size);
  b.set(a);
  return b;
}

function growI32(a: Int32Array, size: number): Int32Array {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}

function sortByValue(c: Candidates): Int32Array {
  const order = Int32Array.from({ length: c.count }, (_, i) => i);
  return order.sort((a, b) => c.value[b] - c.value[a] || a - b);
}

function greedyIndices(c: Candidates, order: Int32Array, units: number, n: number): number[] {
  const used = new Uint8Array(n);
  const chosen: number[] = [];
  for (const g of order) {
    if (chosen.length === units) break;
    if (!fits(c, g, used)) continue;
    mark(c, g, used, 1);
    chosen.push(g);
  }
  return chosen;
}

function fits(c: Candidates, g: number, used: Uint8Array): boolean {
  for (let i = c.offsets[g]; i < c.offsets[g + 1]; i++) if (used[c.cells[i]]) return false;
  return true;
}

function mark(c: Candidates, g: number, used: Uint8Array, v: 0 | 1): void {
  for (let i = c.offsets[g]; i < c.offsets[g + 1]; i++) used[c.cells[i]] = v;
}

/** Replaces one area at a time by the best group that fits beside the others, until nothing improves. */
function improveBySwaps(c: Candidates, order: Int32Array, chosen: number[], n: number): number[] {
  const used = new Uint8Array(n);
  for (const g of chosen) mark(c, g, used, 1);
  for (let round = 0; round < 50; round++) {
    let improved = false;
    for (let i = 0; i < chosen.length; i++) {
      mark(c, chosen[i], used, 0);
      let replacement = chosen[i];
      for (const g of order) {
        if (c.value[g] <= c.value[chosen[i]]) break;
        if (fits(c, g, used)) {
          replacement = g;
          break;
        }
      }
      if (replacement !== chosen[i]) improved = true;
      chosen[i] = replacement;
      mark(c, chosen[i], used, 1);
    }
    if (!improved) break;
  }
  return chosen;
}

function branchAndBound(
  c: Candidates,
  order: Int32Array,
  risk: Float64Array,
  n: number,
  units: number,
  maxCells: number,
  budget: number,
): {
  run: (incumbent: number) => { value: number; groups: number[] };
  aborted: () => boolean;
  nodes: () => number;
} {
  // Groups containing each cell, best first (CSR), built from the value order.
  const perCellCount = new Int32Array(n + 1);
  for (let i = 0; i < c.offsets[c.count]; i++) perCellCount[c.cells[i] + 1]++;
  for (let i = 0; i < n; i++) perCellCount[i + 1] += perCellCount[i];
  const byCell = new Int32Array(perCellCount[n]);
  const fill = perCellCount.slice(0, n);
  for (const g of order) for (let i = c.offsets[g]; i < c.offsets[g + 1]; i++) byCell[fill[c.cells[i]]++] = g;
  // Only cells some group can cover take part; others can neither be chosen nor count in the bound.
  const cellsByRisk = Array.from({ length: n }, (_, i) => i)
    .filter((i) => perCellCount[i + 1] > perCellCount[i])
    .sort((a, b) => risk[b] - risk[a] || a - b);
  const blocked = new Uint8Array(n);
  let nodes = 0;
  let aborted = false;
  let bestValue = 0;
  let bestGroups: number[] = [];
  const chosen: number[] = [];

  const freeTop = (from: number, k: number): number => {
    let s = 0;
    for (let p = from; p < cellsByRisk.length && k > 0; p++) {
      const cell = cellsByRisk[p];
      if (blocked[cell]) continue;
      s += risk[cell];
      k--;
    }
    return s;
  };

  const visit = (value: number, left: number, from: number): void => {
    if (aborted) return;
    if (++nodes > budget) {
      aborted = true;
      return;
    }
    let pos = from;
    while (pos < cellsByRisk.length && blocked[cellsByRisk[pos]]) pos++;
    if (left === 0 || pos === cellsByRisk.length) {
      if (value > bestValue * (1 + 1e-12) + 1e-300) {
        bestValue = value;
        bestGroups = chosen.slice();
      }
      return;
    }
    if (value + freeTop(pos, left * maxCells) <= bestValue * (1 + 1e-12)) return;
    const cell = cellsByRisk[pos];
    const rest = freeTop(pos, (left - 1) * maxCells);
    for (let k = perCellCount[cell]; k < perCellCount[cell + 1]; k++) {
      const g = byCell[k];
      // Groups are best first, so once one cannot beat the incumbent none after it can.
      if (value + c.value[g] + rest <= bestValue * (1 + 1e-12)) break;
      if (!fits(c, g, blocked)) continue;
      mark(c, g, blocked, 1);
      chosen.push(g);
      visit(value + c.value[g], left - 1, pos + 1);
      chosen.pop();
      mark(c, g, blocked, 0);
      if (aborted) return;
    }
    blocked[cell] = 1;
    visit(value, left, pos + 1);
    blocked[cell] = 0;
  };

  return {
    run(incumbent) {
      bestValue = incumbent;
      visit(0, units, 0);
      return { value: bestValue, groups: bestGroups };
    },
    aborted: () => aborted,
    nodes: () => nodes,
  };
}
