import { describe, expect, it } from 'vitest';
import { deployUnits } from './deploy.ts';
import { countClusters, forEachGroup, isConnected } from './polyominoes.ts';
import { mulberry32 as rng } from '../../shared/random.ts';

/** Independent brute force: every subset of ≤ m cells, connectivity by BFS, then every disjoint N-tuple. */
function bruteForce(rows: number, cols: number, risk: number[], units: number, m: number): number {
  const n = rows * cols;
  const groups: { mask: bigint; value: number }[] = [];
  const pick = (start: number, chosen: number[]): void => {
    if (chosen.length > 0 && isConnectedBfs(chosen, cols)) {
      let mask = 0n;
      for (const c of chosen) mask |= 1n << BigInt(c);
      groups.push({ mask, value: chosen.reduce((s, c) => s + risk[c], 0) });
    }
    if (chosen.length === m) return;
    for (let c = start; c < n; c++) pick(c + 1, [...chosen, c]);
  };
  pick(0, []);
  let best = 0;
  const choose = (from: number, left: number, used: bigint, value: number): void => {
    best = Math.max(best, value);
    if (left === 0) return;
    for (let i = from; i < groups.length; i++) {
      if ((groups[i].mask & used) !== 0n) continue;
      choose(i + 1, left - 1, used | groups[i].mask, value + groups[i].value);
    }
  };
  choose(0, units, 0n, 0);
  return best;
}

function isConnectedBfs(cells: number[], cols: number): boolean {
  const seen = new Set([cells[0]]);
  const queue = [cells[0]];
  while (queue.length) {
    const c = queue.shift() as number;
    for (const d of cells) {
      if (seen.has(d)) continue;
      const [r1, c1, r2, c2] = [Math.floor(c / cols), c % cols, Math.floor(d / cols), d % cols];
      if (Math.abs(r1 - r2) + Math.abs(c1 - c2) === 1) {
        seen.add(d);
        queue.push(d);
      }
    }
  }
  return seen.size === cells.length;
}

describe('polyomino enumeration', () => {
  it('produces the fixed-polyomino numbers 1, 2, 6, 19, 63, 216 per anchor on an open plane', () => {
    const size = 13;
    const anchor = 6 * size + 6;
    const bySize = [0, 0, 0, 0, 0, 0, 0];
    forEachGroup({ rows: size, cols: size }, 6, (cells, n) => {
      if (cells[0] === anchor) bySize[n]++;
    });
    expect(bySize.slice(1)).toEqual([1, 2, 6, 19, 63, 216]);
  });

  it('yields each connected group exactly once and only allowed cells', () => {
    const rows = 4;
    const cols = 5;
    const allowed = Array.from({ length: rows * cols }, (_, i) => (i === 7 || i === 12 ? 0 : 1));
    const seen = new Set<string>();
    forEachGroup({ rows, cols, allowed }, 4, (cells, n) => {
      const key = Array.from(cells.subarray(0, n))
        .sort((a, b) => a - b)
        .join(',');
      expect(seen.has(key)).toBe(false);
      seen.add(key);
      const list = key.split(',').map(Number);
      expect(isConnectedBfs(list, cols)).toBe(true);
      expect(list.every((c) => allowed[c] === 1)).toBe(true);
    });
    // Independent count: all subsets of ≤ 4 allowed cells that are connected.
    let expected = 0;
    const cells = allowed.flatMap((a, i) => (a ? [i] : []));
    const walk = (start: number, chosen: number[]): void => {
      if (chosen.length > 0 && isConnectedBfs(chosen, cols)) expected++;
      if (chosen.length === 4) return;
      for (let i = start; i < cells.length; i++) walk(i + 1, [...chosen, cells[i]]);
    };
    walk(0, []);
    expect(seen.size).toBe(expected);
  });

  it('counts clusters and connectivity', () => {
    expect(isConnected([0, 1, 5], 4)).toBe(true);
    expect(isConnected([3, 4], 4)).toBe(false); // wraps a row edge: not adjacent
    expect(countClusters([0, 1, 3, 8, 12], 4)).toBe(3);
  });
});

describe('deployUnits', () => {
  it('beats greedy where greedy is wrong: a line 1,5,5,1 with areas of 2 cells and 2 units', () => {
    const d = deployUnits({ rows: 1, cols: 4, risk: [1, 5, 5, 1] }, { units: 2, maxCells: 2 });
    expect(d.coverage).toBeCloseTo(1, 12);
    expect(d.areas.map((a) => a.cells)).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(d.optimal).toBe(true);
    // Top 4 cells one by one cover the same here, in one cluster.
    expect(d.topCells).toEqual({ cells: 4, coverage: 1, clusters: 1 });
  });

  it('matches brute force on random small grids', () => {
    const rand = rng(7);
    for (let trial = 0; trial < 12; trial++) {
      const rows = 3 + (trial % 2);
      const cols = 4;
      const m = 2 + (trial % 3);
      const units = 1 + (trial % 3);
      const risk = Array.from({ length: rows * cols }, () =>
        rand() < 0.25 ? 0 : Math.round(rand() * 100) / 10,
      );
      const d = deployUnits({ rows, cols, risk }, { units, maxCells: m });
      const total = risk.reduce((s, v) => s + v, 0);
      const optimum = bruteForce(rows, cols, risk, units, m);
      expect(d.coverage * total).toBeCloseTo(optimum, 9);
      // The reported upper bound is a true bound, and no looser than the top-cells bound.
      expect(d.upperBound * total).toBeGreaterThanOrEqual(optimum - 1e-9);
      expect(d.upperBound).toBeLessThanOrEqual(d.topCells.coverage + 1e-12);
      expect(d.optimal).toBe(true);
    }
  });

  it('returns disjoint, connected areas of at most M study cells on a larger field', () => {
    const rand = rng(11);
    const rows = 24;
    const cols = 24;
    const studyMask = Array.from({ length: rows * cols }, (_, i) => (i % cols < 3 ? 0 : 1));
    // Smooth hot spots plus noise, like a KDE surface; masked cells carry the biggest risk.
    const risk = Array.from({ length: rows * cols }, (_, i) => {
      const r = Math.floor(i / cols);
      const c = i % cols;
      const hot =
        Math.exp(-((r - 6) ** 2 + (c - 8) ** 2) / 8) + 0.7 * Math.exp(-((r - 17) ** 2 + (c - 15) ** 2) / 5);
      return studyMask[i] ? hot + 0.05 * rand() : 100;
    });
    for (const [units, m] of [
      [5, 4],
      [8, 3],
      [3, 6],
    ]) {
      const d = deployUnits({ rows, cols, risk, studyMask }, { units, maxCells: m, nodeBudget: 100_000 });
      expect(d.areas).toHaveLength(units);
      const all = d.areas.flatMap((a) => a.cells);
      expect(new Set(all).size).toBe(all.length);
      for (const a of d.areas) {
        expect(a.cells.length).toBeLessThanOrEqual(m);
        expect(isConnected(a.cells, cols)).toBe(true);
        expect(a.cells.every((c) => studyMask[c] === 1)).toBe(true);
        expect(a.risk).toBeCloseTo(
          a.cells.reduce((s, c) => s + risk[c], 0),
          9,
        );
      }
      // Ranks follow risk; shares add up to the coverage; the top-cells alternative is an upper bound.
      expect(d.areas.map((a) => a.rank)).toEqual(Array.from({ length: units }, (_, i) => i + 1));
      for (let i = 1; i < units; i++) expect(d.areas[i].risk).toBeLessThanOrEqual(d.areas[i - 1].risk);
      expect(d.areas.reduce((s, a) => s + a.share, 0)).toBeCloseTo(d.coverage, 12);
      expect(d.topCells.cells).toBe(d.cells);
      expect(d.topCells.coverage).toBeGreaterThanOrEqual(d.coverage - 1e-12);
      expect(d.upperBound).toBeGreaterThanOrEqual(d.coverage - 1e-12);
    }
  });

  it('never pads an area with a zero-risk cell it does not need', () => {
    const risk = [0, 0, 0, 0, 3, 0, 0, 0, 0];
    const d = deployUnits({ rows: 3, cols: 3, risk }, { units: 1, maxCells: 4 });
    expect(d.areas[0].cells).toEqual([4]);
  });

  it('keeps a valid answer and says so when the node budget runs out', () => {
    const rand = rng(3);
    const risk = Array.from({ length: 30 * 30 }, () => rand());
    const d = deployUnits({ rows: 30, cols: 30, risk }, { units: 10, maxCells: 4, nodeBudget: 50 });
    expect(d.optimal).toBe(false);
    expect(d.areas).toHaveLength(10);
    expect(d.coverage).toBeLessThanOrEqual(d.upperBound);
    const all = d.areas.flatMap((a) => a.cells);
    expect(new Set(all).size).toBe(all.length);
  });

  it('rejects bad arguments', () => {
    expect(() => deployUnits({ rows: 1, cols: 2, risk: [1, 2] }, { units: 0 })).toThrow(/units/);
    expect(() => deployUnits({ rows: 1, cols: 2, risk: [1, 2] }, { units: 1, maxCells: 7 })).toThrow(
      /maxCells/,
    );
    expect(() => deployUnits({ rows: 1, cols: 2, risk: [1] }, { units: 1 })).toThrow(/risk has 1/);
  });
});
