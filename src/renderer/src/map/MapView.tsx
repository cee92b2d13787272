import { useEffect, useMemo, useRef, useState } from 'react';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { LeafletLayer } from 'deck.gl-leaflet';
import type { Backend, TilesInfo } from '../../../shared/contract.ts';
import { MapView as DeckMapView, type DeckProps } from '@deck.gl/core';
import { createBasemap, MAP_BACKGROUND, type BasemapImage } from './basemap.ts';
import type { CityLayerInfo } from '../../../shared/layers.ts';
import { buildLayers, type MapModel } from './layers/index.ts';
import { PlainBitmapLayer } from './layers/plain-bitmap-layer.ts';
import { frameRendered } from '../perf.ts';
import { OnDemandFrames } from './frames.ts';

interface Props {
  backend: Backend;
  tiles: TilesInfo | null;
  /** The dataset whose city's layers the basemap draws. */
  dataset: string | null;
  /** Changes when that dataset's layers do. */
  layersVersion: number;
  model: MapModel;
  /** Fit the view here once the data is known (the basemap's boundary otherwise). */
  fitBbox: [number, number, number, number] | null;
  onHover(lat: number, lon: number, x: number, y: number): void;
  onLeave(): void;
  onError(message: string): void;
}

export function MapView({
  backend,
  tiles,
  dataset,
  layersVersion,
  model,
  fitBbox,
  onHover,
  onLeave,
  onError,
}: Props) {
  const div = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const deckRef = useRef<LeafletLayer | null>(null);
  const frames = useRef(new OnDemandFrames());
  const [ready, setReady] = useState(false);
  const [basemap, setBasemap] = useState<BasemapImage | null>(null);
  const [city, setCity] = useState<CityLayerInfo | null>(null);
  const basemapControl = useRef<ReturnType<typeof createBasemap> | null>(null);
  const fitted = useRef(false);
  const hover = useRef({ onHover, onLeave });
  hover.current = { onHover, onLeave };

  useEffect(() => {
    if (!div.current) return;
    // No zoom animation: the deck.gl canvas follows Leaflet's view exactly, and software GL stays cheap.
    const map = L.map(div.current, {
      preferCanvas: true,
      zoomSnap: 0.25,
      minZoom: 9,
      maxZoom: 18,
      zoomAnimation: false,
    });
    map.setView([38.9, -77.02], 12);
    mapRef.current = map;
    // With the vector basemap, deck.gl draws it too and its canvas is opaque: the compositor then has
    // one opaque map surface to draw per frame instead of blending two. Raster tiles are DOM images
    // under deck.gl, so there the canvas stays transparent. No multisampling: software GL pays for it
    // on every frame, and the layers are flat cells, dots and 1–3 px lines.
    const opaque = !tiles;
    const deck = new LeafletLayer({
      layers: [],
      deviceProps: { webgl: { antialias: false, alpha: !opaque, depth: false } },
      // deck.gl-leaflet types its props with DeckProps' default (no views) generic.
      views: new DeckMapView({
        clear: opaque,
        clearColor: [...MAP_BACKGROUND, 255],
      }) as unknown as DeckProps['views'],
      // Passed through to luma.gl's AnimationLoop, which deck.gl's props typing does not list.
      ...({ animationFrameProvider: frames.current } as DeckProps),
      onAfterRender: () => {
        frames.current.drawn();
        frameRendered();
      },
    });
    map.addLayer(deck);
    map.on('move zoom resize viewreset', () => frames.current.wake());
    // The map's box changes without a window resize (the job strip and banners above it come and go):
    // tell Leaflet, so its canvas, and the basemap snapshot taken from it, keep the map's size.
    const resized = new ResizeObserver(() => map.invalidateSize({ pan: false }));
    resized.observe(div.current);
    deckRef.current = deck;
    map.on('mousemove', (e: L.LeafletMouseEvent) =>
      hover.current.onHover(e.latlng.lat, e.latlng.lng, e.containerPoint.x, e.containerPoint.y),
    );
    map.on('mouseout', () => hover.current.onLeave());
    basemapControl.current = createBasemap(map, backend, tiles, (b) =>
      setBasemap((old) => {
        old?.image.close();
        return b;
      }),
    );
    return () => {
      resized.disconnect();
      basemapControl.current = null;
      map.remove();
      mapRef.current = null;
      deckRef.current = null;
    };
    // The map is built once per backend; later props flow through the effects below.
  }, [backend, tiles]);

  useEffect(() => {
    const control = basemapControl.current;
    if (!control) return;
    let cancelled = false;
    control
      .show(dataset)
      .then(({ info, bounds }) => {
        if (cancelled) return;
        setCity(info);
        if (bounds && !fitted.current) mapRef.current?.fitBounds(bounds);
        setReady(true);
      })
      .catch((e: unknown) => onError(`basemap: ${(e as Error).message}`));
    return () => {
      cancelled = true;
    };
  }, [dataset, layersVersion, backend, tiles]);

  useEffect(() => {
    if (fitBbox && mapRef.current) {
      fitted.current = true;
      const [s, w, n, e] = fitBbox;
      mapRef.current.fitBounds([
        [s, w],
        [n, e],
      ]);
    }
  }, [fitBbox]);

  const basemapLayer = useMemo(
    () =>
      basemap &&
      new PlainBitmapLayer({
        id: 'basemap',
        image: basemap.image,
        bounds: basemap.bounds,
        // Drawn 1:1 and opaque: nearest texels, no blending.
        textureParameters: { minFilter: 'nearest', magFilter: 'nearest' },
        parameters: { blend: false },
      }),
    [basemap],
  );

  useEffect(() => {
    const layers = buildLayers(model);
    deckRef.current?.setProps({ layers: basemapLayer ? [basemapLayer, ...layers] : layers });
    frames.current.wake();
  }, [model, ready, basemapLayer]);

  return (
    <div className="mapframe">
      <div
        ref={div}
        className="map"
        data-testid="map"
        data-ready={ready ? '1' : '0'}
        data-step-events={model.events ? model.stepEvents.length : -1}
      />
      {city?.source === 'none' && !tiles && dataset && (
        <div className="addmap" role="note" data-testid="add-map-prompt">
          <strong>No map for this city yet.</strong> The grid and the forecast are drawn on a plain
          background. To draw streets and boundaries, import the agency's layers (GeoJSON or a zipped
          Shapefile: boundary, districts or beats, roads, water…) under <em>Data → Map layers</em>, or start
          the app with an MBTiles file (<code>--tiles FILE.mbtiles</code>).
        </div>
      )}
    </div>
  );
}
