/**
 * Imports an agency's own map layer for a dataset: GeoJSON (WGS84 lon/lat, as RFC 7946 requires) or a
 * zipped Shapefile, checked, reduced to its geometry and properties, and stored with the dataset.
 */
import { readFile } from 'node:fs/promises';
import type { LayerImportValue } from '../../shared/contract.ts';
import { LAYER_KINDS, type LayerKind } from '../../shared/layers.ts';
import type { WritableDb } from '../db/connection.ts';
import { putLayer } from '../db/queries/layers.ts';
import { writeTransaction } from '../db/write-lock.ts';
import { requireDataset } from '../grid/build.ts';
import { DataError, UsageError } from '../util/errors.ts';
import { shapefileToGeoJson } from './shapefile.ts';

export interface LayerImportOptions {
  kind: LayerKind;
  /** The property that names a feature; default: the most name-like property. */
  nameField?: string;
  /** The file's own name, used in messages and stored (the app imports from a temp copy). */
  displayName?: string;
}

/** What a layer import did: the contract's shape, as the app and the CLI show it. */
export type LayerImportReport = LayerImportValue;

interface Feature {
  type: 'Feature';
  properties: Record<string, unknown>;
  geometry: { type: string; coordinates: unknown };
}

const GEOMETRIES = new Set([
  'Point',
  'MultiPoint',
  'LineString',
  'MultiLineString',
  'Polygon',
  'MultiPolygon',
]);
/** Property names that usually name a place, best first (compared lower-case, without separators). */
const NAME_LIKE = [
  'name',
  'label',
  'nbhnames',
  'neighborhood',
  'neighbourhood',
  'beat',
  'district',
  'psa',
  'area',
  'zone',
  'id',
];

export async function importLayer(
  db: WritableDb,
  dataset: string,
  file: string,
  opts: LayerImportOptions,
): Promise<LayerImportReport> {
  if (!(LAYER_KINDS as readonly string[]).includes(opts.kind)) {
    throw new UsageError(`unknown layer kind '${opts.kind}'; kinds are ${LAYER_KINDS.join(', ')}`);
  }
  const where = opts.displayName ?? file;
  const ds = requireDataset(db, dataset);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new DataError(`cannot read file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      file: where,
    });
  }
  const isZip =
    bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4;
  const doc = isZip ? await shapefileToGeoJson(bytes, where) : parseJson(bytes, where);
  const features = featuresOf(doc, where);
  const properties = [...new Set(features.flatMap((f) => Object.keys(f.properties)))];
  let nameField: string | null;
  if (opts.nameField) {
    if (!properties.includes(opts.nameField)) {
      throw new DataError(
        `no property '${opts.nameField}' in the layer's features; its properties are ${properties.join(', ') || '(none)'}`,
        { file: where },
      );
    }
    nameField = opts.nameField;
  } else nameField = guessNameField(features, properties);
  const bbox = extent(features, where);
  const text = JSON.stringify({ type: 'FeatureCollection', features });
  // Another program's write lock is awaited, not waited for: the window's process keeps answering.
  await writeTransaction(db, () =>
    putLayer(db, ds.id, {
      kind: opts.kind,
      nameField,
      sourceFile: where.split(/[\\/]/).pop() ?? where,
      features: features.length,
      geojson: text,
      importedAt: new Date().toISOString(),
    }),
  );
  return {
    dataset: ds.name,
    kind: opts.kind,
    features: features.length,
    nameField,
    properties,
    bbox,
    sourceFile: where,
  };
}

function parseJson(bytes: Buffer, where: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new DataError(`not GeoJSON (or a zipped Shapefile): ${(e as Error).message}`, { file: where });
  }
}

function featuresOf(doc: unknown, where: string): Feature[] {
  const o = doc as { type?: string; features?: unknown[]; crs?: { properties?: { name?: string } } };
  const crs = o?.crs?.properties?.name;
  if (crs && !/(CRS84|4326)$/.test(crs)) {
    throw new DataError(
      `the layer is in ${crs}; shotcast reads GeoJSON in WGS84 longitude/latitude (export it as EPSG:4326)`,
      { file: where },
    );
  }
  let raw: unknown[];
  if (o?.type === 'FeatureCollection' && Array.isArray(o.features)) raw = o.features;
  else if (o?.type === 'Feature') raw = [o];
  else if (typeof o?.type === 'string' && GEOMETRIES.has(o.type))
    raw = [{ type: 'Feature', properties: {}, geometry: o }];
  else throw new DataError('not a GeoJSON FeatureCollection, Feature or geometry', { file: where });
  const out: Feature[] = [];
  raw.forEach((f, i) => {
    const g = (f as { geometry?: { type?: string; coordinates?: unknown } }).geometry;
    if (!g) return; // a feature without geometry (allowed by RFC 7946) draws nothing
    if (typeof g.type !== 'string' || !GEOMETRIES.has(g.type) || !Array.isArray(g.coordinates)) {
      throw new DataError(`feature ${i + 1} has an unsupported geometry '${String(g.type)}'`, {
        file: where,
      });
    }
    const props = (f as { properties?: Record<string, unknown> | null }).properties ?? {};
    out.push({ type: 'Feature', properties: props, geometry: { type: g.type, coordinates: g.coordinates } });
  });
  if (out.length === 0) throw new DataError('the layer has no features with a geometry', { file: where });
  return out;
}

function extent(features: Feature[], where: string): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (c: unknown, feature: number): void => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === 'number') {
      const [lon, lat] = c as number[];
      if (!(Math.abs(lon) <= 180 && Math.abs(lat) <= 90)) {
        throw new DataError(
          `feature ${feature + 1} has the coordinate (${lon}, ${lat}), which is not longitude/latitude; export the layer in WGS84 (EPSG:4326)`,
          { file: where },
        );
      }
      if (lon < b[0]) b[0] = lon;
      if (lat < b[1]) b[1] = lat;
      if (lon > b[2]) b[2] = lon;
      if (lat > b[3]) b[3] = lat;
      return;
    }
    for (const x of c) visit(x, feature);
  };
  features.forEach((f, i) => visit(f.geometry.coordinates, i));
  return b;
}

/** The property whose values best name the features: a name-like key with text values, most distinct first. */
export function guessNameField(features: readonly Feature[], properties: readonly string[]): string | null {
  const norm = (k: string) => k.toLowerCase().replace(/[^a-z0-9]/g, '');
  const score = (k: string): number => {
    const values = features
      .map((f) => f.properties[k])
      .filter((v) => v !== null && v !== undefined && v !== '');
    if (values.length === 0) return -1;
    const distinct = new Set(values.map(String)).size / features.length;
    const n = norm(k);
    const rank = NAME_LIKE.findIndex((w) => n === w || n.endsWith(w) || n.startsWith(w));
    return (rank >= 0 ? 100 - rank * 5 : 0) + distinct * 10;
  };
  let best: string | null = null;
  let bestScore = 0;
  for (const k of properties) {
    const s = score(k);
    if (s > bestScore) [best, bestScore] = [k, s];
  }
  return best;
}
