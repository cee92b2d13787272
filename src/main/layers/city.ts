/**
 * The map layers a dataset's map, briefing and place names draw from: the layers the analyst imported
 * for it; else, for a dataset whose events lie in Washington DC, the built-in DC layers; else none
 * (the app then shows a plain grid and says how to add a map). One answer for the app and the PDF.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LAYER_KINDS, LAYER_LABELS, type CityLayerInfo, type LayerKind } from '../../shared/layers.ts';
import type { ReadonlyDb } from '../db/connection.ts';
import { eventCentre, layerText, listLayers } from '../db/queries/layers.ts';
import { requireDataset } from '../grid/build.ts';
import { DEFAULT_GEO_DIR, loadLayer, parseLayer, type GeoLayer } from '../briefing/geo.ts';

export interface CityLayer {
  kind: LayerKind;
  layer: GeoLayer;
  nameField: string | null;
}

export interface CityLayers {
  source: CityLayerInfo['source'];
  attribution: string | null;
  kinds: LayerKind[];
  get(kind: LayerKind): CityLayer | undefined;
  /** GeoJSON text of a layer, for the app's map (undefined when the city has none of that kind). */
  text(kind: LayerKind): string | undefined;
  info(): CityLayerInfo;
}

/** The built-in DC layers (resources/geo), by kind; each with the property that names a feature. */
export const BUILTIN_DC: Record<LayerKind, { file: string; nameField: string | null }> = {
  boundary: { file: 'dc-boundary', nameField: null },
  water: { file: 'hydrography', nameField: null },
  parks: { file: 'parks-and-recreation-areas', nameField: 'NAME' },
  roads: { file: 'major-roads', nameField: null },
  highways: { file: 'interstate-highways', nameField: null },
  districts: { file: 'police-districts-mpd', nameField: 'DISTRICT' },
  service_areas: { file: 'police-service-areas-psa', nameField: 'PSA' },
  neighbourhoods: { file: 'neighborhood-clusters', nameField: 'NBH_NAMES' },
};
export const BUILTIN_ATTRIBUTION = 'Map layers © District of Columbia Open Data (via benbalter/dc-maps)';

/** Parsed imported layers, one per dataset and kind: a newer import of the kind replaces its entry. */
const parsed = new Map<string, GeoLayer>();

export function cityLayers(db: ReadonlyDb, datasetName: string, geoDir = DEFAULT_GEO_DIR): CityLayers {
  const ds = requireDataset(db, datasetName);
  const stored = listLayers(db, ds.id);
  if (stored.length > 0) {
    const byKind = new Map(stored.map((l) => [l.kind, l]));
    const attribution = `Map layers: ${[...new Set(stored.map((l) => l.sourceFile))].join(', ')}`;
    return {
      source: 'imported',
      attribution,
      kinds: LAYER_KINDS.filter((k) => byKind.has(k)),
      get(kind) {
        const l = byKind.get(kind);
        if (!l) return undefined;
        // The name keys the PDF's projection cache, so it names this very import.
        const name = `${kind}@dataset${ds.id}:${l.id}:${l.importedAt}`;
        const slot = `${ds.id}:${kind}`;
        let layer = parsed.get(slot);
        if (layer?.name !== name) {
          layer = parseLayer(name, layerText(db, ds.id, kind) ?? '{}');
          parsed.set(slot, layer);
        }
        return { kind, layer, nameField: l.nameField };
      },
      text: (kind) => layerText(db, ds.id, kind),
      info: () => ({
        source: 'imported',
        attribution,
        layers: LAYER_KINDS.filter((k) => byKind.has(k)).map((k) => {
          const l = byKind.get(k)!;
          return {
            kind: k,
            label: LAYER_LABELS[k],
            features: l.features,
            nameField: l.nameField,
            source: l.sourceFile,
          };
        }),
      }),
    };
  }
  const centre = eventCentre(db, ds.id);
  const dc = loadLayer('dc-boundary', geoDir);
  const inDc =
    centre !== null &&
    dc !== undefined &&
    centre.lon >= dc.bbox[0] &&
    centre.lat >= dc.bbox[1] &&
    centre.lon <= dc.bbox[2] &&
    centre.lat <= dc.bbox[3];
  if (!inDc) {
    return {
      source: 'none',
      attribution: null,
      kinds: [],
      get: () => undefined,
      text: () => undefined,
      info: () => ({ source: 'none', attribution: null, layers: [] }),
    };
  }
  return builtinLayers(geoDir);
}

/** The built-in DC layers (the DC sample's map, and the default of drawings made without a database). */
export function builtinLayers(geoDir = DEFAULT_GEO_DIR): CityLayers {
  const get = (kind: LayerKind): CityLayer | undefined => {
    const spec = BUILTIN_DC[kind];
    const layer = loadLayer(spec.file, geoDir);
    return layer ? { kind, layer, nameField: spec.nameField } : undefined;
  };
  return {
    source: 'builtin',
    attribution: BUILTIN_ATTRIBUTION,
    kinds: [...LAYER_KINDS],
    get,
    text: (kind) => readFileSync(join(geoDir, `${BUILTIN_DC[kind].file}.geojson`), 'utf8'),
    info: () => ({
      source: 'builtin',
      attribution: BUILTIN_ATTRIBUTION,
      layers: LAYER_KINDS.map((k) => ({
        kind: k,
        label: LAYER_LABELS[k],
        features: get(k)?.layer.features.length ?? 0,
        nameField: BUILTIN_DC[k].nameField,
        source: `${BUILTIN_DC[k].file}.geojson`,
      })),
    }),
  };
}
