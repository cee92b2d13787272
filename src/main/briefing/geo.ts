/**
 * The bundled map layers (resources/geo/*.geojson): parsed once per process into flat coordinate arrays,
 * with point-in-polygon lookups for naming places and Douglas–Peucker simplification for drawing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCachedLayer, writeCachedLayer } from './geo-cache.ts';
import { resourcePath } from '../util/resources.ts';

/** Flat [lon, lat, lon, lat, …] (or [x, y, …] once projected). */
export type Path = Float64Array;

export interface GeoFeature {
  props: Record<string, unknown>;
  kind: 'line' | 'polygon';
  /** Polygon: one entry per polygon, [outer ring, holes…]. Line: one entry per line, [line]. */
  parts: Path[][];
  /** [west, south, east, north]. */
  bbox: [number, number, number, number];
}

export interface GeoLayer {
  name: string;
  features: GeoFeature[];
  bbox: [number, number, number, number];
}

export const DEFAULT_GEO_DIR = resourcePath('geo');

const cache = new Map<string, GeoLayer | null>();

/** A layer by file name without extension (e.g. 'major-roads'); undefined when the file is absent. */
export function loadLayer(name: string, dir = DEFAULT_GEO_DIR): GeoLayer | undefined {
  const file = join(dir, `${name}.geojson`);
  if (!cache.has(file)) {
    let layer: GeoLayer | null = null;
    if (existsSync(file)) {
      const cached = readCachedLayer(file);
      if (cached) layer = cached;
      else {
        layer = parseLayer(name, readFileSync(file, 'utf8'));
        writeCachedLayer(file, layer);
      }
    }
    cache.set(file, layer);
  }
  return cache.get(file) ?? undefined;
}

interface RawGeometry {
  type: string;
  coordinates: unknown;
}

export function parseLayer(name: string, text: string): GeoLayer {
  const doc = JSON.parse(text) as {
    features?: { properties?: Record<string, unknown>; geometry?: RawGeometry }[];
  };
  const features: GeoFeature[] = [];
  const all: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of doc.features ?? []) {
    const g = f.geometry;
    if (!g) continue;
    let kind: GeoFeature['kind'];
    let parts: Path[][];
    if (g.type === 'LineString') [kind, parts] = ['line', [[flat(g.coordinates as number[][])]]];
    else if (g.type === 'MultiLineString')
      [kind, parts] = ['line', (g.coordinates as number[][][]).map((l) => [flat(l)])];
    else if (g.type === 'Polygon') [kind, parts] = ['polygon', [(g.coordinates as number[][][]).map(flat)]];
    else if (g.type === 'MultiPolygon')
      [kind, parts] = ['polygon', (g.coordinates as number[][][][]).map((p) => p.map(flat))];
    else continue;
    const bbox: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const part of parts)
      for (const ring of part)
        for (let i = 0; i < ring.length; i += 2) {
          bbox[0] = Math.min(bbox[0], ring[i]);
          bbox[1] = Math.min(bbox[1], ring[i + 1]);
          bbox[2] = Math.max(bbox[2], ring[i]);
          bbox[3] = Math.max(bbox[3], ring[i + 1]);
        }
    if (!Number.isFinite(bbox[0])) continue;
    for (let k = 0; k < 4; k++) all[k] = k < 2 ? Math.min(all[k], bbox[k]) : Math.max(all[k], bbox[k]);
    features.push({ props: f.properties ?? {}, kind, parts, bbox });
  }
  return { name, features, bbox: all };
}

function flat(coords: number[][]): Path {
  const out = new Float64Array(coords.length * 2);
  for (let i = 0; i < coords.length; i++) {
    out[2 * i] = coords[i][0];
    out[2 * i + 1] = coords[i][1];
  }
  return out;
}

/** Even-odd ray casting over all rings of one polygon (so holes count as outside). */
function inPolygon(rings: Path[], x: number, y: number): boolean {
  let inside = false;
  for (const r of rings) {
    const n = r.length / 2;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const xi = r[2 * i];
      const yi = r[2 * i + 1];
      const xj = r[2 * j];
      const yj = r[2 * j + 1];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/** The first polygon feature of a layer containing the point, if any. */
export function featureAt(layer: GeoLayer, lon: number, lat: number): GeoFeature | undefined {
  for (const f of layer.features) {
    if (f.kind !== 'polygon') continue;
    if (lon < f.bbox[0] || lon > f.bbox[2] || lat < f.bbox[1] || lat > f.bbox[3]) continue;
    if (f.parts.some((p) => inPolygon(p, lon, lat))) return f;
  }
  return undefined;
}

/**
 * Douglas–Peucker: drops points closer than `tolerance` to the simplified line. Iterative (an explicit
 * stack) so a 10 000-point shoreline cannot overflow the call stack. End points are always kept.
 */
export function simplifyPath(path: Path, tolerance: number): Path {
  const n = path.length / 2;
  if (n <= 2) return path;
  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[n - 1] = 1;
  const stack: number[] = [0, n - 1];
  const tol2 = tolerance * tolerance;
  while (stack.length > 0) {
    const b = stack.pop() as number;
    const a = stack.pop() as number;
    const ax = path[2 * a];
    const ay = path[2 * a + 1];
    const dx = path[2 * b] - ax;
    const dy = path[2 * b + 1] - ay;
    const len2 = dx * dx + dy * dy;
    let worst = -1;
    let worstD = tol2;
    for (let i = a + 1; i < b; i++) {
      const px = path[2 * i] - ax;
      const py = path[2 * i + 1] - ay;
      // Distance to the segment (not the infinite line), so closed rings (a === b in space) work.
      const t = len2 > 0 ? Math.max(0, Math.min(1, (px * dx + py * dy) / len2)) : 0;
      const ex = px - t * dx;
      const ey = py - t * dy;
      const d = ex * ex + ey * ey;
      if (d > worstD) {
        worstD = d;
        worst = i;
      }
    }
    if (worst >= 0) {
      keep[worst] = 1;
      stack.push(a, worst, worst, b);
    }
  }
  let count = 0;
  for (let i = 0; i < n; i++) count += keep[i];
  const out = new Float64Array(count * 2);
  for (let i = 0, k = 0; i < n; i++) {
    if (!keep[i]) continue;
    out[k++] = path[2 * i];
    out[k++] = path[2 * i + 1];
  }
  return out;
}
