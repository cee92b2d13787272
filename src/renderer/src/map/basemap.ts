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

/** A snapshot of the drawn basemap and the [west, south, east, north] it covers. */
export interface BasemapImage {
  image: ImageBitmap;
  bounds: [number, number, number, number];
}

/** The map's background (Leaflet's own), painted into the snapshot where no layer draws. */
export const MAP_BACKGROUND: [number, number, number] = [221, 221, 221];

interface CanvasInternals {
  _ctx: CanvasRenderingContext2D;
  _container: HTMLCanvasElement;
  _redrawBounds: L.Bounds | null;
  fire(type: string): void;
}

/**
 * Leaflet's canvas renderer, painting the map background instead of leaving it transparent (the
 * snapshot is drawn opaque), plus a `drawn` event after every full redraw (Leaflet fires none).
 */
const SnapshotCanvas = L.Canvas.extend({
  _clear(this: CanvasInternals) {
    const ctx = this._ctx;
    const b = this._redrawBounds;
    ctx.save();
    if (!b) ctx.setTransform(1, 0, 0, 1, 0, 0);
    const [x, y] = b ? [b.min!.x, b.min!.y] : [0, 0];
    const [w, h] = b ? [b.getSize().x, b.getSize().y] : [this._container.width, this._container.height];
    ctx.fillStyle = `rgb(${MAP_BACKGROUND.join(',')})`;
    ctx.fillRect(x, y, w, h);
    ctx.restore();
  },
  _redraw(this: CanvasInternals) {
    (L.Canvas.prototype as unknown as { _redraw(): void })._redraw.call(this);
    this.fire('drawn');
  },
}) as unknown as new (options: L.RendererOptions) => L.Canvas;

/**
 * Hands every redraw of the basemap canvas to `onImage` as a bitmap with its geographic bounds, so
 * deck.gl can draw it as the bottom layer of one opaque canvas. Software GL (the benchmark's worst
 * case) pays per composited pixel per frame, and blending a transparent deck.gl canvas over a separate
 * basemap canvas cost more than all the layers together.
 */
function snapshotOnDraw(map: L.Map, renderer: L.Canvas, onImage: (b: BasemapImage) => void): void {
  let latest = 0;
  renderer.on('drawn', () => {
    const canvas = (renderer as unknown as { _container: HTMLCanvasElement })._container;
    // CSS pixels: on a high-DPI screen the backing store is twice the size.
    const w = parseFloat(canvas.style.width);
    const h = parseFloat(canvas.style.height);
    if (!(w > 0 && h > 0)) return;
    const min = L.DomUtil.getPosition(canvas);
    const nw = map.layerPointToLatLng(min);
    const se = map.layerPointToLatLng(min.add([w, h]));
    const ticket = ++latest;
    createImageBitmap(canvas)
      .then((image) => {
        // A pan or zoom may have redrawn the canvas while this copy was made: keep only the newest.
        if (ticket === latest) onImage({ image, bounds: [nw.lng, se.lat, se.lng, nw.lat] });
        else image.close();
      })
      .catch(() => {});
  });
}

/**
 * The offline basemap: the bundled DC vector layers drawn by Leaflet on a canvas (no tile server), or
 * raster tiles from a user-chosen MBTiles file when one is configured. With `onImage`, the vector
 * canvas stays hidden and each redraw is handed over as a bitmap instead (see snapshotOnDraw).
 */
export async function addBasemap(
  map: L.Map,
  backend: Backend,
  tiles: TilesInfo | null,
  onImage?: (b: BasemapImage) => void,
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
  // No padding: the canvas is exactly the map's size, so its snapshot maps 1:1 onto deck.gl's canvas.
  const renderer = new SnapshotCanvas({ padding: 0, pane: 'basemap' });
  if (onImage && !tiles) {
    pane.style.display = 'none';
    snapshotOnDraw(map, renderer, onImage);
  }
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
