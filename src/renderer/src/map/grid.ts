import type { ForecastGrid, ForecastValue } from '../../../shared/contract.ts';

/** [lon, lat] corners of cell (row, col); row 0 is the northernmost (the core's convention). */
export function cellPolygon(g: ForecastGrid, row: number, col: number): [number, number][] {
  const [s, w, n, e] = g.bbox;
  const dy = (n - s) / g.rows;
  const dx = (e - w) / g.cols;
  const top = n - row * dy;
  const left = w + col * dx;
  return [
    [left, top],
    [left + dx, top],
    [left + dx, top - dy],
    [left, top - dy],
  ];
}

export function cellCentre(g: ForecastGrid, cell: number): [number, number] {
  const [s, w, n, e] = g.bbox;
  const row = Math.floor(cell / g.cols);
  const col = cell % g.cols;
  return [w + ((col + 0.5) * (e - w)) / g.cols, n - ((row + 0.5) * (n - s)) / g.rows];
}

/** The cell holding a point (edges as in the core: south/east edge in the last row/column), or -1. */
export function cellAt(g: ForecastGrid, lat: number, lon: number): number {
  const [s, w, n, e] = g.bbox;
  if (lat < s || lat > n || lon < w || lon > e) return -1;
  const row = Math.min(g.rows - 1, Math.floor(((n - lat) / (n - s)) * g.rows));
  const col = Math.min(g.cols - 1, Math.floor(((lon - w) / (e - w)) * g.cols));
  return row * g.cols + col;
}

export interface Ranking {
  /** Study cells, highest risk first; ties broken by cell order (row-major from the north-west). */
  order: number[];
  /** 1-based rank per cell; 0 outside the study area. */
  rank: Int32Array;
  max: number;
  min: number;
}

export function rankCells(f: ForecastValue): Ranking {
  const order: number[] = [];
  let max = -Infinity;
  let min = Infinity;
  for (let i = 0; i < f.risk.length; i++) {
    if (!f.studyMask[i]) continue;
    order.push(i);
    if (f.risk[i] > max) max = f.risk[i];
    if (f.risk[i] < min) min = f.risk[i];
  }
  order.sort((a, b) => f.risk[b] - f.risk[a] || a - b);
  const rank = new Int32Array(f.risk.length);
  order.forEach((c, i) => (rank[c] = i + 1));
  return { order, rank, max: order.length ? max : 0, min: order.length ? min : 0 };
}

/** Segments along the edge of the study mask: cell sides between a study cell and anything else. */
export function maskOutline(f: ForecastValue): { from: [number, number]; to: [number, number] }[] {
  const { rows, cols } = f.grid;
  const [s, w, n, e] = f.grid.bbox;
  const dy = (n - s) / rows;
  const dx = (e - w) / cols;
  const inMask = (r: number, c: number) =>
    r >= 0 && r < rows && c >= 0 && c < cols && f.studyMask[r * cols + c] === 1;
  const segs: { from: [number, number]; to: [number, number] }[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (!inMask(r, c)) continue;
      const top = n - r * dy;
      const bottom = top - dy;
      const left = w + c * dx;
      const right = left + dx;
      if (!inMask(r - 1, c)) segs.push({ from: [left, top], to: [right, top] });
      if (!inMask(r + 1, c)) segs.push({ from: [left, bottom], to: [right, bottom] });
      if (!inMask(r, c - 1)) segs.push({ from: [left, top], to: [left, bottom] });
      if (!inMask(r, c + 1)) segs.push({ from: [right, top], to: [right, bottom] });
    }
  }
  return segs;
}
