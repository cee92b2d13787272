/**
 * The forecast grid and the patrol areas as GeoJSON (RFC 7946: WGS84 lon/lat, exterior rings
 * counter-clockwise) and CSV, for analysts who work in ArcGIS or QGIS.
 */
import { cellCentre } from '../grid/spec.ts';
import type { GridSpec } from '../grid/types.ts';
import { rankMasked } from './deploy.ts';
import { csvField } from './text.ts';
import type { BriefingArea, BriefingMap, BriefingReport } from './types.ts';

type Position = [number, number];

interface Feature {
  type: 'Feature';
  geometry: { type: 'Polygon'; coordinates: Position[][] };
  properties: Record<string, string | number | boolean | null>;
}

export interface FeatureCollection {
  type: 'FeatureCollection';
  features: Feature[];
  /** Foreign member: where the file came from (ignored by GIS tools, read by people). */
  shotcast: Record<string, unknown>;
}

const round = (v: number, digits: number): number => Number(v.toFixed(digits));

function cellCorners(grid: GridSpec, cell: number): { s: number; w: number; n: number; e: number } {
  const [S, W, N, E] = grid.bbox;
  const row = Math.floor(cell / grid.cols);
  const col = cell % grid.cols;
  const dy = (N - S) / grid.rows;
  const dx = (E - W) / grid.cols;
  return { n: N - row * dy, s: N - (row + 1) * dy, w: W + col * dx, e: W + (col + 1) * dx };
}

/** Per study cell: its rank (1 = riskiest) and the share of the study area ranked at or above it. */
function ranks(map: BriefingMap): { rank: Map<number, number>; study: number } {
  const order = rankMasked(map.risk, map.studyMask);
  return { rank: new Map(order.map((c, i) => [c, i + 1])), study: order.length };
}

function areaOfCell(areas: BriefingArea[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const a of areas) for (const c of a.cells) m.set(c, a.rank);
  return m;
}

function meta(report: BriefingReport): Record<string, unknown> {
  return {
    dataset: report.dataset.name,
    datasetHash: report.dataset.hash,
    model: report.model.spec,
    modelHash: report.model.hash,
    windowStart: report.window.start,
    windowEnd: report.window.end,
    generatedAt: report.generatedAt,
    riskUnit: 'expected detections in the window',
    caveat: report.caveat.join(' '),
  };
}

export function gridFeatures(report: BriefingReport, map: BriefingMap): Feature[] {
  const { rank, study } = ranks(map);
  const inArea = areaOfCell(report.areas);
  const out: Feature[] = [];
  for (let c = 0; c < map.risk.length; c++) {
    if (!map.studyMask[c]) continue;
    const k = cellCorners(map.grid, c);
    const r = rank.get(c) ?? study;
    out.push({
      type: 'Feature',
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [k.w, k.s],
            [k.e, k.s],
            [k.e, k.n],
            [k.w, k.n],
            [k.w, k.s],
          ].map(([x, y]) => [round(x, 7), round(y, 7)] as Position),
        ],
      },
      properties: {
        layer: 'forecast',
        cell: c,
        row: Math.floor(c / map.grid.cols),
        col: c % map.grid.cols,
        risk: round(map.risk[c], 6),
        rank: r,
        topShare: round(r / study, 6),
        patrolArea: inArea.get(c) ?? null,
      },
    });
  }
  return out;
}

/**
 * The outline of a connected group of cells as one ring: the cell edges not shared by two group cells,
 * chained end to end. Polyominoes of ≤ 6 cells have no holes, so one ring is the whole shape.
 */
export function outline(grid: GridSpec, cells: readonly number[]): Position[] {
  const set = new Set(cells);
  // Vertices on the grid lattice as "row,col" keys; each cell contributes its edges counter-clockwise
  // on the page (north-up), which is counter-clockwise in lon/lat too.
  const next = new Map<string, string[]>();
  const add = (a: [number, number], b: [number, number]): void => {
    const ka = `${a[0]},${a[1]}`;
    next.set(ka, [...(next.get(ka) ?? []), `${b[0]},${b[1]}`]);
  };
  for (const c of cells) {
    const r = Math.floor(c / grid.cols);
    const q = c % grid.cols;
    if (r === grid.rows - 1 || !set.has(c + grid.cols)) add([r + 1, q], [r + 1, q + 1]); // south, west→east
    if (q === grid.cols - 1 || !set.has(c + 1)) add([r + 1, q + 1], [r, q + 1]); // east, south→north
    if (r === 0 || !set.has(c - grid.cols)) add([r, q + 1], [r, q]); // north, east→west
    if (q === 0 || !set.has(c - 1)) add([r, q], [r + 1, q]); // west, north→south
  }
  const start = [...next.keys()].sort()[0];
  const ring: string[] = [start];
  let at = start;
  for (let guard = 0; guard < 4 * cells.length + 1; guard++) {
    const outs = next.get(at);
    if (!outs || outs.length === 0) break;
    at = outs.shift() as string;
    ring.push(at);
    if (at === start) break;
  }
  const [S, W, N, E] = grid.bbox;
  return ring.map((key) => {
    const [r, q] = key.split(',').map(Number);
    return [round(W + (q * (E - W)) / grid.cols, 7), round(N - (r * (N - S)) / grid.rows, 7)];
  });
}

export function areaFeatures(report: BriefingReport, map: BriefingMap): Feature[] {
  return report.areas.map((a) => ({
    type: 'Feature',
    geometry: { type: 'Polygon', coordinates: [outline(map.grid, a.cells)] },
    properties: {
      layer: 'patrol-area',
      rank: a.rank,
      cells: a.cells.join(' '),
      centreLat: round(a.centre.lat, 6),
      centreLon: round(a.centre.lon, 6),
      neighbourhood: a.neighbourhood,
      psa: a.psa,
      district: a.district,
      risk: round(a.risk, 6),
      expectedShare: round(a.share, 6),
      last7: a.last7,
      last28: a.last28,
    },
  }));
}

export function toGeoJson(
  report: BriefingReport,
  map: BriefingMap,
  which: 'grid' | 'areas' | 'both',
): FeatureCollection {
  const features = [
    ...(which !== 'areas' ? gridFeatures(report, map) : []),
    ...(which !== 'grid' ? areaFeatures(report, map) : []),
  ];
  return { type: 'FeatureCollection', features, shotcast: meta(report) };
}

/** One row per study cell, with its corners, forecast, rank and patrol area (blank when none). */
export function gridCsv(report: BriefingReport, map: BriefingMap): string {
  const { rank, study } = ranks(map);
  const inArea = areaOfCell(report.areas);
  const lines = ['cell,row,col,centre_lat,centre_lon,south,west,north,east,risk,rank,top_share,patrol_area'];
  for (let c = 0; c < map.risk.length; c++) {
    if (!map.studyMask[c]) continue;
    const k = cellCorners(map.grid, c);
    const p = cellCentre(map.grid, c);
    const r = rank.get(c) ?? study;
    lines.push(
      [
        c,
        Math.floor(c / map.grid.cols),
        c % map.grid.cols,
        round(p.lat, 7),
        round(p.lon, 7),
        round(k.s, 7),
        round(k.w, 7),
        round(k.n, 7),
        round(k.e, 7),
        round(map.risk[c], 6),
        r,
        round(r / study, 6),
        inArea.get(c) ?? null,
      ]
        .map(csvField)
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}

/** One row per patrol area, as in the briefing's table. */
export function areasCsv(report: BriefingReport): string {
  const lines = [
    'rank,cells,centre_lat,centre_lon,neighbourhood,psa,district,risk,expected_share,last_7_days,last_28_days',
  ];
  for (const a of report.areas) {
    lines.push(
      [
        a.rank,
        a.cells.join(' '),
        round(a.centre.lat, 6),
        round(a.centre.lon, 6),
        a.neighbourhood,
        a.psa,
        a.district,
        round(a.risk, 6),
        round(a.share, 6),
        a.last7,
        a.last28,
      ]
        .map(csvField)
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}
