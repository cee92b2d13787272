import { readFileSync } from 'node:fs';
import type { BBox } from '../../shared/types.ts';
import { DataError } from '../util/errors.ts';
import type { GeoJsonLike } from './types.ts';

/** A polygon as rings of [lon, lat]; the first ring is the outer one, the rest are holes. */
export type Polygon = number[][][];

/** Reads a GeoJSON file; errors name the file. */
export function readGeoJson(file: string): GeoJsonLike {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new DataError(`cannot read GeoJSON: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      file,
    });
  }
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    throw new DataError(`not valid JSON: ${(e as Error).message}`, { file });
  }
  if (typeof obj !== 'object' || obj === null || typeof (obj as GeoJsonLike).type !== 'string') {
    throw new DataError('not a GeoJSON object (no "type")', { file });
  }
  if (polygonsOf(obj as GeoJsonLike).length === 0) {
    throw new DataError('GeoJSON holds no Polygon or MultiPolygon geometry', { file });
  }
  return obj as GeoJsonLike;
}

/** Every polygon in a Feature, FeatureCollection, GeometryCollection or geometry. */
export function polygonsOf(g: GeoJsonLike): Polygon[] {
  const out: Polygon[] = [];
  const visit = (o: unknown): void => {
    if (typeof o !== 'object' || o === null) return;
    const x = o as Record<string, unknown>;
    switch (x.type) {
      case 'FeatureCollection':
        for (const f of (x.features as unknown[]) ?? []) visit(f);
        break;
      case 'Feature':
        visit(x.geometry);
        break;
      case 'GeometryCollection':
        for (const f of (x.geometries as unknown[]) ?? []) visit(f);
        break;
      case 'Polygon':
        out.push(x.coordinates as Polygon);
        break;
      case 'MultiPolygon':
        for (const p of x.coordinates as Polygon[]) out.push(p);
        break;
    }
  };
  visit(g);
  return out;
}

export function geoJsonBBox(g: GeoJsonLike): BBox {
  let s = Infinity;
  let w = Infinity;
  let n = -Infinity;
  let e = -Infinity;
  for (const poly of polygonsOf(g)) {
    for (const [lon, lat] of poly[0] ?? []) {
      s = Math.min(s, lat);
      n = Math.max(n, lat);
      w = Math.min(w, lon);
      e = Math.max(e, lon);
    }
  }
  return [s, w, n, e];
}

/** Even-odd ray casting over one ring. */
function inRing(ring: number[][], lon: number, lat: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function pointInPolygons(polys: Polygon[], lon: number, lat: number): boolean {
  for (const p of polys) {
    if (p.length === 0 || !inRing(p[0], lon, lat)) continue;
    let hole = false;
    for (let h = 1; h < p.length; h++) if (inRing(p[h], lon, lat)) hole = true;
    if (!hole) return true;
  }
  return false;
}
