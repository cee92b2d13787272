import type { EventColumns } from '../db/queries/events.ts';
import { pointInPolygons, polygonsOf } from './geojson.ts';
import { cellCentre, cellOf } from './spec.ts';
import type { GeoJsonLike, GridSpec } from './types.ts';

/** Study mask from data: 1 for each cell with at least one distinct (non-duplicate) event before `beforeMs`. */
export function dataMask(grid: GridSpec, events: EventColumns, beforeMs: number): Uint8Array {
  const mask = new Uint8Array(grid.rows * grid.cols);
  for (let i = 0; i < events.length; i++) {
    if (events.utcMs[i] >= beforeMs) break;
    if (events.duplicate[i]) continue;
    const c = cellOf(grid, events.lat[i], events.lon[i]);
    if (c >= 0) mask[c] = 1;
  }
  return mask;
}

/** Study mask from a boundary: 1 for each cell whose centre lies inside the polygon(s). */
export function polygonMask(grid: GridSpec, boundary: GeoJsonLike): Uint8Array {
  const polys = polygonsOf(boundary);
  const mask = new Uint8Array(grid.rows * grid.cols);
  for (let c = 0; c < mask.length; c++) {
    const { lat, lon } = cellCentre(grid, c);
    mask[c] = pointInPolygons(polys, lon, lat) ? 1 : 0;
  }
  return mask;
}

export function maskCount(mask: Uint8Array): number {
  let n = 0;
  for (const v of mask) n += v;
  return n;
}
