import L from 'leaflet';
import type { Backend, TilesInfo } from '../../../shared/contract.ts';
import type { CityLayerInfo, LayerKind } from '../../../shared/layers.ts';
import { call } from '../api/backend.ts';

interface LayerStyle {
  style: L.PathOptions;
  on: boolean;
}

// Drawn bottom to top (LAYER_KINDS order): land and water under the roads, administrative lines on top.
const STYLES: Record<LayerKind, LayerStyle> = {
  boundary: { style: { color: '#555', weight: 2, fillColor: '#f4f1ea', fillOpacity: 1 }, on: true },
  water: { style: { color: '#9cc3e6', weight: 0.5, fillColor: '#b5d3f0', fillOpacity: 1 }, on: true },
  parks: { style: { color: '#b9dbb0', weight: 0.5, fillColor: '#cfe8c6', fillOpacity: 1 }, on: true },
  roads: { style: { color: '#c9c4bb', weight: 1 }, on: true },
  highways: { style: { color: '#e0a060', weight: 2 }, on: true },
  districts: { style: { color: '#3b4a6b', weight: 1.5, dashArray: '6 4', fill: false }, on: true },
  service_areas: { style: { color: '#6b7a9b', weight: 0.7, dashArray: '2 3', fill: false }, on: false },
  neighbourhoods: { style: { color: '#8a6b9b', weight: 0.7, dashArray: '1 3', fill: false }, on: false },
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

/** The basemap of one dataset's city: what it drew from, and the extent of its boundary (or all layers). */
export interface ShownBasemap {
  info: CityLayerInfo;
  bounds: L.LatLngBounds | null;
}

/**
 * The offline basemap: the current dataset's city layers (its own imported layers, or the built-in DC
 * set for DC data) drawn by Leaflet on a canvas, no tile server; or raster tiles from a user-chosen
 * MBTiles file when one is configured. With `onImage`, the vector canvas stays hidden and each redraw
 * is handed over as a bitmap instead (see snapshotOnDraw); `onImage(null)` when nothing is drawn.
 */
export function createBasemap(
  map: L.Map,
  backend: Backend,
  tiles: TilesInfo | null,
  onImage?: (b: BasemapImage | null) => void,
): { show(dataset: string | null): Promise<ShownBasemap> } {
  const control = L.control
    .layers(undefined, undefined, { collapsed: true, position: 'topright' })
    .addTo(map);
  L.control.scale({ imperial: false, position: 'bottomleft' }).addTo(map);
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
  let shown: L.GeoJSON[] = [];
  let credit: string | null = null;
  let request = 0;
  return {
    async show(dataset) {
      const ticket = ++request;
      const none: CityLayerInfo = { source: 'none', attribution: null, layers: [] };
      const info = dataset ? await call(backend, 'layers.info', { dataset }) : none;
      const loaded = await Promise.all(
        info.layers.map(async (l) => {
          const text = await call(backend, 'layers.get', { dataset: dataset!, kind: l.kind });
          return { ...l, geo: text ? (JSON.parse(text) as GeoJSON.GeoJsonObject) : null };
        }),
      );
      // Another dataset was chosen while these loaded: its call draws, not this one.
      if (ticket !== request) return { info, bounds: null };
      for (const layer of shown) {
        control.removeLayer(layer);
        layer.remove();
      }
      shown = [];
      if (credit) map.attributionControl.removeAttribution(credit);
      credit = info.attribution;
      if (credit) map.attributionControl.addAttribution(credit);
      let bounds: L.LatLngBounds | null = null;
      for (const l of loaded) {
        const s = STYLES[l.kind];
        // With MBTiles underneath, the filled layers would hide the tiles: keep only the lines.
        if (!l.geo || (tiles && s.style.fillOpacity)) continue;
        const layer = L.geoJSON(l.geo, {
          style: () => s.style,
          pointToLayer: (_f, latlng) =>
            L.circleMarker(latlng, { ...s.style, radius: 2, renderer, pane: 'basemap' }),
          interactive: false,
          renderer,
          pane: 'basemap',
        } as L.GeoJSONOptions);
        if (s.on) layer.addTo(map);
        control.addOverlay(layer, l.label);
        shown.push(layer);
        const b = layer.getBounds();
        if (b.isValid() && (l.kind === 'boundary' || !bounds)) bounds = b;
      }
      // No layer draws (a city without a map): no snapshot either, or the last city's would stay.
      if (shown.length === 0) onImage?.(null);
      // Leaflet redraws only where the added layers lie, and clears only there: one full redraw
      // paints the background over the whole canvas, or the snapshot keeps unpainted (black) parts.
      else if ((renderer as unknown as { _map?: L.Map })._map)
        (renderer as unknown as { _updatePaths(): void })._updatePaths();
      return { info, bounds };
    },
  };
}
