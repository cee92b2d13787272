/**
 * Use cases for a city's setup: what an import would read before it writes, and the dataset's own map
 * layers (which the app's map, the briefing's map and its place names all draw from).
 */
import type { CityLayerInfo, LayerKind } from '../../shared/layers.ts';
import type { ReadonlyDb, WritableDb } from '../db/connection.ts';
import { deleteLayer } from '../db/queries/layers.ts';
import { writeTransaction } from '../db/write-lock.ts';
import { requireDataset } from '../grid/build.ts';
import { previewImport, type ImportPreview } from '../ingest/preview.ts';
import { cityLayers } from '../layers/city.ts';
import { placeNames, type PlaceNames } from '../layers/places.ts';
import { importLayer, type LayerImportOptions, type LayerImportReport } from '../layers/import.ts';

export type { ImportPreview, LayerImportReport, PlaceNames };

export function preview(
  file: string,
  opts: { format?: string; map?: Record<string, string>; displayName?: string },
): Promise<ImportPreview> {
  return previewImport(file, opts);
}

export function mapLayers(db: ReadonlyDb, dataset: string, geoDir?: string): CityLayerInfo {
  return cityLayers(db, dataset, geoDir).info();
}

export function mapLayerText(
  db: ReadonlyDb,
  dataset: string,
  kind: LayerKind,
  geoDir?: string,
): string | null {
  return cityLayers(db, dataset, geoDir).text(kind) ?? null;
}

/** The places each point lies in, by the dataset's map layers (its own, else the built-in DC ones). */
export function placesAt(
  db: ReadonlyDb,
  dataset: string,
  points: readonly { lat: number; lon: number }[],
  geoDir?: string,
): PlaceNames[] {
  const layers = cityLayers(db, dataset, geoDir);
  return points.map((p) => placeNames(layers, [p]));
}

export function importMapLayer(
  db: WritableDb,
  dataset: string,
  file: string,
  opts: LayerImportOptions,
): Promise<LayerImportReport> {
  return importLayer(db, dataset, file, opts);
}

export async function deleteMapLayer(db: WritableDb, dataset: string, kind: LayerKind): Promise<boolean> {
  const id = requireDataset(db, dataset).id;
  return writeTransaction(db, () => deleteLayer(db, id, kind));
}
