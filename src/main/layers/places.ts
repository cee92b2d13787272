/**
 * The names of the places a point lies in (neighbourhood, police service area, district or beat), from
 * the dataset's own map layers or the built-in DC ones: the briefing's patrol-area table, the Forecast
 * panel's top cells and `shotcast forecast` all name places with this one function.
 */
import type { LayerKind } from '../../shared/layers.ts';
import type { PlaceNames } from '../../shared/contract.ts';
import { featureAt } from '../briefing/geo.ts';
import { cleanText } from '../briefing/text.ts';
import { cellCentre } from '../grid/spec.ts';
import type { GridSpec } from '../grid/types.ts';
import type { CityLayers } from './city.ts';

export type { PlaceNames };

/**
 * Neighbourhood, service area and district of the first point that falls inside each of the city's
 * layers, by each layer's name field; '—' when none does (or the city has no such layer).
 */
export function placeNames(layers: CityLayers, points: { lat: number; lon: number }[]): PlaceNames {
  const find = (kind: LayerKind): { props: Record<string, unknown>; name: unknown } | undefined => {
    const l = layers.get(kind);
    if (!l) return undefined;
    for (const p of points) {
      const f = featureAt(l.layer, p.lon, p.lat);
      if (f) return { props: f.props, name: l.nameField ? f.props[l.nameField] : undefined };
    }
    return undefined;
  };
  const nbh = find('neighbourhoods');
  const area = find('service_areas');
  const district = find('districts');
  const text = (v: unknown): string => (v === undefined || v === null || v === '' ? '—' : cleanText(v, 120));
  if (layers.source === 'builtin') {
    // DC's districts are numbers ("5"), written as MPD writes them ("5D"); a PSA knows its district.
    const d = area?.props.DISTRICT ?? district?.props.DISTRICT;
    return {
      neighbourhood: text(nbh?.name ?? nbh?.props.NAME),
      psa: text(area?.name ?? area?.props.NAME),
      district: d === undefined ? '—' : `${cleanText(d, 8)}D`,
    };
  }
  return { neighbourhood: text(nbh?.name), psa: text(area?.name), district: text(district?.name) };
}

/**
 * A patrol area's centre (the mean of its cells' centres) and its places: those of the centre, else of
 * the first of its cells that a layer holds (an area on a boundary still gets a name).
 */
export function areaPlaces(
  layers: CityLayers,
  grid: GridSpec,
  cells: readonly number[],
): { centre: { lat: number; lon: number } } & PlaceNames {
  const centres = cells.map((c) => cellCentre(grid, c));
  const centre = {
    lat: centres.reduce((s, p) => s + p.lat, 0) / centres.length,
    lon: centres.reduce((s, p) => s + p.lon, 0) / centres.length,
  };
  return { centre, ...placeNames(layers, [centre, ...centres]) };
}
