import type { Layer } from '@deck.gl/core';
import { LineLayer, PathLayer, PolygonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import type { ForecastValue } from '../../../../shared/contract.ts';
import { cellCentre, cellPolygon, type Ranking } from '../grid.ts';
import { EVENT_COLORS, HEATMAP_RANGE, riskColor } from '../colors.ts';
import { PlainBitmapLayer } from './plain-bitmap-layer.ts';

export type RiskView = 'cells' | 'heatmap';

/** Everything the deck.gl layers draw; each layer recomputes only when its own inputs change. */
export interface MapModel {
  forecast: ForecastValue | null;
  ranking: Ranking | null;
  outline: { from: [number, number]; to: [number, number] }[];
  /** The loaded window of events that holds the current step (see state/windows.ts). */
  events: { lat: ArrayLike<number>; lon: ArrayLike<number>; type: ArrayLike<number> } | null;
  /** Indices into `events` of the current step's events. */
  stepEvents: number[];
  topK: number;
  view: RiskView;
  hoverCell: number;
}

/**
 * The top-K cells, kept as the same array while the ranking and K stay put: a new array each scrub step
 * made deck.gl regenerate the outline and the text layer's glyph attributes on every frame.
 */
const topCache = new WeakMap<Ranking, { k: number; top: number[] }>();
function topCells(r: Ranking, k: number): number[] {
  const hit = topCache.get(r);
  if (hit && hit.k === k) return hit.top;
  const top = r.order.slice(0, k);
  topCache.set(r, { k, top });
  return top;
}

/**
 * The risk grid as an image, one texel per cell (row 0 on top, as the grid's row 0 is the northernmost),
 * transparent outside the study area. One textured quad draws far cheaper than a polygon per cell in
 * software GL; kept per ranking so scrubbing never re-uploads it.
 */
const riskImages = new WeakMap<Ranking, ImageData>();
function riskImage(f: ForecastValue, r: Ranking): ImageData {
  const hit = riskImages.get(r);
  if (hit) return hit;
  const { rows, cols } = f.grid;
  const img = new ImageData(cols, rows);
  const span = r.max - r.min || 1;
  for (const c of r.order) {
    const [red, green, blue, alpha] = riskColor((f.risk[c] - r.min) / span, 150);
    img.data.set([red, green, blue, alpha], c * 4);
  }
  riskImages.set(r, img);
  return img;
}

/** The northernmost of a ring's westernmost corners, [lon, lat]. */
function northWest(ring: [number, number][]): [number, number] {
  let best = ring[0];
  for (const p of ring) if (p[0] < best[0] || (p[0] === best[0] && p[1] > best[1])) best = p;
  return best;
}

export function buildLayers(m: MapModel): Layer[] {
  const layers: Layer[] = [];
  const f = m.forecast;
  const r = m.ranking;
  if (f && r) {
    if (m.view === 'cells') {
      const [s, w, n, e] = f.grid.bbox;
      layers.push(
        new PlainBitmapLayer({
          id: 'risk-cells',
          image: riskImage(f, r),
          bounds: [w, s, e, n],
          textureParameters: { minFilter: 'nearest', magFilter: 'nearest' },
        }),
      );
    } else {
      layers.push(
        new HeatmapLayer<number>({
          id: 'risk-heatmap',
          data: r.order,
          getPosition: (c) => cellCentre(f.grid, c),
          getWeight: (c) => Math.max(0, f.risk[c] - r.min),
          radiusPixels: 35,
          // The default 2048² float weight texture costs hundreds of ms per frame in software GL; a
          // city-sized grid of a few thousand cells needs far less.
          weightsTextureSize: 256,
          colorRange: HEATMAP_RANGE,
          updateTriggers: { getPosition: f, getWeight: f },
        }),
      );
    }
    layers.push(
      new LineLayer<{ from: [number, number]; to: [number, number] }>({
        id: 'study-outline',
        data: m.outline,
        getSourcePosition: (s) => s.from,
        getTargetPosition: (s) => s.to,
        getColor: [40, 40, 40, 200],
        getWidth: 1.5,
        widthUnits: 'pixels',
      }),
    );
    const areas = f.deployment?.areas ?? [];
    if (areas.length > 0) {
      // The briefing's patrol areas: a green outline each, its unit's number at its centre.
      layers.push(
        new PathLayer<(typeof areas)[number]>({
          id: 'patrol-areas',
          data: areas,
          getPath: (a) => a.ring,
          getColor: [0, 110, 50, 230],
          getWidth: 5,
          widthUnits: 'pixels',
          jointRounded: true,
        }),
        new TextLayer<(typeof areas)[number]>({
          id: 'patrol-area-unit',
          data: areas,
          // Above the area's north-west corner, clear of the top cells' ranks at the cells' centres.
          getPosition: (a) => northWest(a.ring),
          getText: (a) => `U${a.rank}`,
          getSize: 11,
          getColor: [255, 255, 255, 255],
          getTextAnchor: 'start',
          getAlignmentBaseline: 'bottom',
          background: true,
          getBackgroundColor: [0, 110, 50, 235],
          backgroundPadding: [3, 1],
          getPixelOffset: [-2, -3],
          fontFamily: 'sans-serif',
          fontWeight: 700,
          characterSet: 'U0123456789',
        }),
      );
    }
    const top = topCells(r, m.topK);
    layers.push(
      new PolygonLayer<number>({
        id: 'top-k',
        data: top,
        getPolygon: (c) => cellPolygon(f.grid, Math.floor(c / f.grid.cols), c % f.grid.cols),
        filled: false,
        stroked: true,
        getLineColor: [0, 70, 160, 255],
        getLineWidth: 3,
        lineWidthUnits: 'pixels',
      }),
      new TextLayer<number>({
        id: 'top-k-rank',
        data: top,
        getPosition: (c) => cellCentre(f.grid, c),
        getText: (c) => String(r.rank[c]),
        // Small enough that "10" fits a cell of the city-wide view (~20 px), dark on white inside the
        // cell's blue outline, so the ranks of neighbouring cells read apart ("10" and "5", not "105").
        getSize: 11,
        getColor: [0, 50, 130, 255],
        background: true,
        getBackgroundColor: [255, 255, 255, 240],
        backgroundPadding: [2, 0],
        fontFamily: 'sans-serif',
        fontWeight: 700,
        characterSet: '0123456789',
      }),
    );
    if (m.hoverCell >= 0) {
      layers.push(
        new PolygonLayer<number>({
          id: 'hover-cell',
          data: [m.hoverCell],
          getPolygon: (c) => cellPolygon(f.grid, Math.floor(c / f.grid.cols), c % f.grid.cols),
          filled: false,
          getLineColor: [0, 0, 0, 255],
          getLineWidth: 2,
          lineWidthUnits: 'pixels',
        }),
      );
    }
  }
  const ev = m.events;
  if (ev) {
    layers.push(
      new ScatterplotLayer<number>({
        id: 'step-events',
        data: m.stepEvents,
        getPosition: (j) => [ev.lon[j], ev.lat[j]],
        getFillColor: (j) => EVENT_COLORS[ev.type[j]] ?? EVENT_COLORS[3],
        getLineColor: [255, 255, 255, 255],
        stroked: true,
        lineWidthMinPixels: 1,
        radiusUnits: 'pixels',
        getRadius: 5,
      }),
    );
  }
  return layers;
}
