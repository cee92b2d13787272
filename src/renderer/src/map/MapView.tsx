import { useEffect, useRef, useState } from 'react';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { LeafletLayer } from 'deck.gl-leaflet';
import type { Backend, TilesInfo } from '../../../shared/contract.ts';
import { addBasemap } from './basemap.ts';
import { buildLayers, type MapModel } from './layers/index.ts';
import { frameRendered } from '../perf.ts';

interface Props {
  backend: Backend;
  tiles: TilesInfo | null;
  model: MapModel;
  /** Fit the view here once the data is known (the basemap's boundary otherwise). */
  fitBbox: [number, number, number, number] | null;
  onHover(lat: number, lon: number, x: number, y: number): void;
  onLeave(): void;
  onError(message: string): void;
}

export function MapView({ backend, tiles, model, fitBbox, onHover, onLeave, onError }: Props) {
  const div = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const deckRef = useRef<LeafletLayer | null>(null);
  const [ready, setReady] = useState(false);
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
    const deck = new LeafletLayer({
      layers: [],
      onAfterRender: () => frameRendered(),
    });
    map.addLayer(deck);
    deckRef.current = deck;
    map.on('mousemove', (e: L.LeafletMouseEvent) =>
      hover.current.onHover(e.latlng.lat, e.latlng.lng, e.containerPoint.x, e.containerPoint.y),
    );
    map.on('mouseout', () => hover.current.onLeave());
    let cancelled = false;
    addBasemap(map, backend, tiles)
      .then((bounds) => {
        if (!cancelled && bounds && !fitted.current) map.fitBounds(bounds);
        if (!cancelled) setReady(true);
      })
      .catch((e: unknown) => onError(`basemap: ${(e as Error).message}`));
    return () => {
      cancelled = true;
      map.remove();
      mapRef.current = null;
      deckRef.current = null;
    };
    // The map is built once per backend; later props flow through the effects below.
  }, [backend, tiles]);

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

  useEffect(() => {
    deckRef.current?.setProps({ layers: buildLayers(model) });
  }, [model, ready]);

  return <div ref={div} className="map" data-testid="map" data-ready={ready ? '1' : '0'} />;
}
