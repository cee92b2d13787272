import L from 'leaflet';
import type { Backend, BasemapLayerName, TilesInfo } from '../../../shared/contract.ts';
import { call } from '../api/backend.ts';

interface LayerStyle {
  label: string;
  style: L.PathOptions;
  on: boolean;
}

// Drawn bottom to top: water and parks under the roads, administrative lines on top.
const STYLES: Record<BasemapLayerName, LayerStyle> = {
  'dc-boundary': {
    label: 'DC boundary',
    style: { color: '#555', weight: 2, fillColor: '#f4f1ea', fillOpacity: 1 },
    on: true,
  },
  hydrography: {
    label: 'Water',
    style: { color: '#9cc3e6', weight: 0.5, fillColor: '#b5d3f0', fillOpacity: 1 },
    on: true,
  },
  'parks-and-recreation-areas': {
    label: 'Parks',
    style: { color: '#b9dbb0', weight: 0.5, fillColor: '#cfe8c6', fillOpacity: 1 },
    on: true,
  },
  'major-roads': { label: 'Major roads', style: { color: '#c9c4bb', weight: 1 }, on: true },
  'interstate-highways': { label: 'Interstates', style: { color: '#e0a060', weight: 2 }, on: true },
  'police-districts-mpd': {
    label: 'Police districts',
    style: { color: '#3b4a6b', weight: 1.5, dashArray: '6 4', fill: false },
    on: true,
  },
  'police-service-areas-psa': {
    label: 'Police service areas',
    style: { color: '#6b7a9b', weight: 0.7, dashArray: '2 3', fill: false },
    on: false,
  },
};

/**
 * The offline basemap: the bundled DC vector layers drawn by Leaflet on a canvas (no tile server), or
 * raster tiles from a user-chosen MBTiles file when one is configured.
 */
export async function addBasemap(
  map: L.Map,
  backend: Backend,
  tiles: TilesInfo | null,
): Promise<L.LatLngBounds | null> {
  const control = L.control
    .layers(undefined, undefined, { collapsed: true, position: 'topright' })
    .addTo(map);
  if (tiles) {
    const t = L.tileLayer(tiles.url, {
      minZoom: tiles.minZoom,
      maxZoom: tiles.maxZoom,
      attribution: tiles.attribution,
    }).addTo(map);
    control.addBaseLayer(t, 'MBTiles');
  }
  // The vector basemap gets its own pane between the tiles (200) and the overlays (400), so the deck.gl
  // layers always draw above it whatever order things load in.
  const pane = map.createPane('basemap');
  pane.style.zIndex = '250';
  const renderer = L.canvas({ padding: 0.2, pane: 'basemap' });
  let bounds: L.LatLngBounds | null = null;
  const loaded = await Promise.all(
    (Object.keys(STYLES) as BasemapLayerName[]).map(async (name) => {
      const text = (await call(backend, 'basemap.layer', { layer: name })) as string;
      return [name, JSON.parse(text) as GeoJSON.GeoJsonObject] as const;
    }),
  );
  for (const [name, geo] of loaded) {
    const s = STYLES[name];
    // With MBTiles underneath, the filled layers would hide the tiles: keep only the lines.
    if (tiles && s.style.fillOpacity) continue;
    const layer = L.geoJSON(geo, {
      style: () => s.style,
      interactive: false,
      renderer,
      pane: 'basemap',
    } as L.GeoJSONOptions);
    if (s.on) layer.addTo(map);
    control.addOverlay(layer, s.label);
    if (name === 'dc-boundary') bounds = layer.getBounds();
  }
  map.attributionControl.addAttribution('Map layers: District of Columbia Open Data');
  return bounds;
}
