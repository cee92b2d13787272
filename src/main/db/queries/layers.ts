import type { LayerKind } from '../../../shared/layers.ts';
import type { ReadonlyDb, WritableDb } from '../connection.ts';

export interface StoredLayer {
  id: number;
  kind: LayerKind;
  nameField: string | null;
  sourceFile: string;
  features: number;
  importedAt: string;
}

const COLUMNS = `id, kind, name_field AS nameField, source_file AS sourceFile, features, imported_at AS importedAt`;

/** Stores a dataset's layer of one kind, replacing the one it had. */
export function putLayer(
  db: WritableDb,
  datasetId: number,
  layer: Omit<StoredLayer, 'id'> & { geojson: string },
): number {
  const r = db
    .prepare(
      `INSERT INTO layers (dataset_id, kind, name_field, source_file, features, geojson, imported_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (dataset_id, kind) DO UPDATE SET name_field = excluded.name_field,
         source_file = excluded.source_file, features = excluded.features, geojson = excluded.geojson,
         imported_at = excluded.imported_at`,
    )
    .run(
      datasetId,
      layer.kind,
      layer.nameField,
      layer.sourceFile,
      layer.features,
      layer.geojson,
      layer.importedAt,
    );
  return Number(r.lastInsertRowid);
}

export function listLayers(db: ReadonlyDb, datasetId: number): StoredLayer[] {
  return db
    .prepare(`SELECT ${COLUMNS} FROM layers WHERE dataset_id = ? ORDER BY id`)
    .all(datasetId) as StoredLayer[];
}

export function layerText(db: ReadonlyDb, datasetId: number, kind: LayerKind): string | undefined {
  const row = db
    .prepare(`SELECT geojson FROM layers WHERE dataset_id = ? AND kind = ?`)
    .get(datasetId, kind) as { geojson: string } | undefined;
  return row?.geojson;
}

export function deleteLayer(db: WritableDb, datasetId: number, kind: LayerKind): boolean {
  return db.prepare(`DELETE FROM layers WHERE dataset_id = ? AND kind = ?`).run(datasetId, kind).changes > 0;
}

/** The mean position of a dataset's events, or null when it has none. */
export function eventCentre(db: ReadonlyDb, datasetId: number): { lat: number; lon: number } | null {
  const r = db
    .prepare(
      `SELECT AVG(l.lat_e6) AS lat, AVG(l.lon_e6) AS lon
       FROM events e JOIN locations l ON l.id = e.location_id WHERE e.dataset_id = ?`,
    )
    .get(datasetId) as { lat: number | null; lon: number | null };
  return r.lat === null || r.lon === null ? null : { lat: r.lat / 1e6, lon: r.lon / 1e6 };
}
