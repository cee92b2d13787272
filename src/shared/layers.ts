/**
 * The kinds of map layer a city can have, drawn bottom to top. The built-in DC sample ships one of
 * each; an analyst imports their own agency's (GeoJSON or a zipped Shapefile) per dataset.
 */
export const LAYER_KINDS = [
  'boundary',
  'water',
  'parks',
  'roads',
  'highways',
  'districts',
  'service_areas',
  'neighbourhoods',
] as const;
export type LayerKind = (typeof LAYER_KINDS)[number];

export const LAYER_LABELS: Record<LayerKind, string> = {
  boundary: 'City boundary',
  water: 'Water',
  parks: 'Parks',
  roads: 'Roads',
  highways: 'Highways',
  districts: 'Police districts or beats',
  service_areas: 'Service areas',
  neighbourhoods: 'Neighbourhoods',
};

/** What a dataset's map draws from: its own imported layers, the built-in DC set, or nothing. */
export interface CityLayerInfo {
  source: 'imported' | 'builtin' | 'none';
  /** Credit line for the map's attribution control; null when there is nothing to credit. */
  attribution: string | null;
  layers: {
    kind: LayerKind;
    label: string;
    features: number;
    /** The property that names a feature (a district's number, a neighbourhood's name). */
    nameField: string | null;
    /** The file it came from (imported) or the bundled file's name (built-in). */
    source: string;
  }[];
}
