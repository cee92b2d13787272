import type { BBox } from '../../shared/types.ts';
import { DataError, UsageError } from '../util/errors.ts';
import { geoJsonBBox } from './geojson.ts';
import type { GridOptions, GridSpec } from './types.ts';

/** Metres per degree of latitude and longitude at a latitude (WGS84 series, good to ~1 m). */
export function metresPerDegree(latDeg: number): { lat: number; lon: number } {
  const phi = (latDeg * Math.PI) / 180;
  return {
    lat: 111132.92 - 559.82 * Math.cos(2 * phi) + 1.175 * Math.cos(4 * phi),
    lon: 111412.84 * Math.cos(phi) - 93.5 * Math.cos(3 * phi),
  };
}

export function checkBBox(b: BBox, where = 'bbox'): BBox {
  const [s, w, n, e] = b;
  if (![s, w, n, e].every(Number.isFinite)) throw new UsageError(`${where} must be four numbers s,w,n,e`);
  if (s < -90 || n > 90 || w < -180 || e > 180) throw new UsageError(`${where} is outside lat/lon range`);
  if (!(n > s) || !(e > w)) throw new UsageError(`${where} must have south < north and west < east`);
  return [s, w, n, e];
}

export function parseBBox(text: string): BBox {
  const parts = text.split(',').map((t) => Number(t.trim()));
  if (parts.length !== 4 || parts.some((p) => !Number.isFinite(p))) {
    throw new UsageError(`--bbox must be south,west,north,east in degrees, got '${text}'`);
  }
  return checkBBox(parts as BBox, '--bbox');
}

/**
 * Makes a grid from options; `dataBBox` is asked for only when neither a bbox nor a boundary is given.
 * Degenerate data extents (one point) are padded by one cell's worth so the grid has area.
 */
export function makeGrid(opts: GridOptions, dataBBox?: () => BBox | undefined): GridSpec {
  let bbox: BBox;
  if (opts.bbox) bbox = checkBBox(opts.bbox);
  else if (opts.boundary) bbox = checkBBox(geoJsonBBox(opts.boundary), 'boundary');
  else {
    const b = dataBBox?.();
    if (!b) throw new DataError('cannot make a grid from the data: the dataset has no events');
    const pad = 1e-4;
    bbox = [b[0], b[1], b[2] > b[0] ? b[2] : b[0] + pad, b[3] > b[1] ? b[3] : b[1] + pad];
  }
  const [s, w, n, e] = bbox;
  const mid = (s + n) / 2;
  const m = metresPerDegree(mid);
  if (opts.cellMeters !== undefined) {
    if (opts.rows !== undefined || opts.cols !== undefined) {
      throw new UsageError('give either --rows and --cols or --cell, not both');
    }
    const c = opts.cellMeters;
    if (!(c > 0) || !Number.isFinite(c)) throw new UsageError(`--cell must be a positive number of metres`);
    const rows = Math.max(1, Math.ceil(((n - s) * m.lat) / c - 1e-9));
    const cols = Math.max(1, Math.ceil(((e - w) * m.lon) / c - 1e-9));
    // Keep the north-west corner; grow south and east so every cell is exactly c metres at mid-latitude.
    const south = n - (rows * c) / m.lat;
    const east = w + (cols * c) / m.lon;
    return { bbox: [south, w, n, east], rows, cols, cellMeters: [c, c] };
  }
  const rows = opts.rows;
  const cols = opts.cols;
  if (rows === undefined || cols === undefined) throw new UsageError('give --rows and --cols, or --cell');
  for (const [k, v] of [
    ['rows', rows],
    ['cols', cols],
  ] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 4096) throw new UsageError(`--${k} must be an integer 1..4096`);
  }
  return {
    bbox,
    rows,
    cols,
    cellMeters: [((n - s) * m.lat) / rows, ((e - w) * m.lon) / cols],
  };
}

/**
 * Row-major cell index of a point, or −1 outside the bbox. Cell (0,0) is the north-west corner; a point
 * on the south or east edge goes in the last row or column.
 */
export function cellOf(grid: GridSpec, lat: number, lon: number): number {
  const [s, w, n, e] = grid.bbox;
  if (!(lat >= s && lat <= n && lon >= w && lon <= e)) return -1;
  let row = Math.floor(((n - lat) / (n - s)) * grid.rows);
  let col = Math.floor(((lon - w) / (e - w)) * grid.cols);
  if (row >= grid.rows) row = grid.rows - 1;
  if (col >= grid.cols) col = grid.cols - 1;
  return row * grid.cols + col;
}

/** Centre of a cell in degrees. */
export function cellCentre(grid: GridSpec, cell: number): { lat: number; lon: number } {
  const [s, w, n, e] = grid.bbox;
  const row = Math.floor(cell / grid.cols);
  const col = cell % grid.cols;
  return {
    lat: n - ((row + 0.5) * (n - s)) / grid.rows,
    lon: w + ((col + 0.5) * (e - w)) / grid.cols,
  };
}
