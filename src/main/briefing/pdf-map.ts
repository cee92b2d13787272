/**
 * The briefing's vector map: basemap layers, forecast risk cells in classes, numbered patrol areas.
 * Geometry is projected to page points, culled to the view and simplified by Douglas–Peucker at a
 * fraction of a point, so the PDF stays small (the DC layers drop from ~250 000 points to a few
 * thousand) and the result is cached per view for the life of the process.
 */
import type PDFDocument from 'pdfkit';
import { cellCentre } from '../grid/spec.ts';
import type { GridSpec } from '../grid/types.ts';
import { builtinLayers, type CityLayers } from '../layers/city.ts';
import type { LayerKind } from '../../shared/layers.ts';
import { DEFAULT_GEO_DIR, simplifyPath, type GeoLayer, type Path } from './geo.ts';
import type { BriefingArea, BriefingMap } from './types.ts';
import { rankCells, studyCellsOf } from '../evaluate/metrics.ts';

type Doc = InstanceType<typeof PDFDocument>;

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Risk classes by the share of the study area ranked above a cell (the evaluation's coverage levels). */
export const RISK_CLASSES = [
  { label: 'top 1 %', upTo: 0.01, colour: '#a50f15' },
  { label: '1–5 %', upTo: 0.05, colour: '#de2d26' },
  { label: '5–10 %', upTo: 0.1, colour: '#fb6a4a' },
  { label: '10–20 %', upTo: 0.2, colour: '#fcae91' },
] as const;

const STYLE = {
  land: '#f7f6f2',
  park: '#d9ead3',
  water: '#6fa8dc',
  road: '#b7b7b7',
  highway: '#8c8c8c',
  boundary: '#444444',
  district: '#3d3d8f',
  area: '#000000',
};

/** Degrees → page points for a view fitted into a box, preserving shape (equirectangular at mid-latitude). */
export interface Projection {
  x: (lon: number) => number;
  y: (lat: number) => number;
  /** Page points per metre. */
  pointsPerMetre: number;
  frame: Box;
}

export function fitProjection(view: [number, number, number, number], box: Box): Projection {
  const [s, w, n, e] = view;
  const k = Math.cos((((s + n) / 2) * Math.PI) / 180);
  const spanX = (e - w) * k;
  const spanY = n - s;
  const scale = Math.min(box.w / spanX, box.h / spanY);
  const fw = spanX * scale;
  const fh = spanY * scale;
  const ox = box.x + (box.w - fw) / 2;
  const oy = box.y + (box.h - fh) / 2;
  return {
    x: (lon) => ox + (lon - w) * k * scale,
    y: (lat) => oy + (n - lat) * scale,
    pointsPerMetre: scale / 111_320,
    frame: { x: ox, y: oy, w: fw, h: fh },
  };
}

/** The view: the grid, widened to the city boundary when the boundary overlaps it, plus a small margin. */
export function mapView(grid: GridSpec, boundary?: GeoLayer): [number, number, number, number] {
  let [s, w, n, e] = grid.bbox;
  const b = boundary?.bbox;
  if (b && b[0] < e && b[2] > w && b[1] < n && b[3] > s) {
    [s, w, n, e] = [Math.min(s, b[1]), Math.min(w, b[0]), Math.max(n, b[3]), Math.max(e, b[2])];
  }
  const m = 0.02 * Math.max(n - s, e - w);
  return [s - m, w - m, n + m, e + m];
}

interface Projected {
  lines: Path[];
  polygons: Path[][];
}

const projectedCache = new Map<string, Projected>();

function projectLayer(
  layer: GeoLayer,
  view: [number, number, number, number],
  p: Projection,
  keep: (props: Record<string, unknown>) => boolean,
): Projected {
  const key = `${layer.name}|${view.join(',')}|${p.frame.x},${p.frame.y},${p.frame.w},${p.frame.h}`;
  const hit = projectedCache.get(key);
  if (hit) return hit;
  const [s, w, n, e] = view;
  const out: Projected = { lines: [], polygons: [] };
  const project = (path: Path): Path => {
    const q = new Float64Array(path.length);
    for (let i = 0; i < path.length; i += 2) {
      q[i] = p.x(path[i]);
      q[i + 1] = p.y(path[i + 1]);
    }
    // A third of a point is below what a 300 dpi printer resolves at this line weight.
    return simplifyPath(q, 0.33);
  };
  for (const f of layer.features) {
    if (f.bbox[2] < w || f.bbox[0] > e || f.bbox[3] < s || f.bbox[1] > n || !keep(f.props)) continue;
    for (const part of f.parts) {
      if (f.kind === 'line') out.lines.push(project(part[0]));
      else out.polygons.push(part.map(project).filter((r) => r.length >= 6));
    }
  }
  projectedCache.set(key, out);
  return out;
}

function tracePath(doc: Doc, path: Path, close: boolean): void {
  doc.moveTo(path[0], path[1]);
  for (let i = 2; i < path.length; i += 2) doc.lineTo(path[i], path[i + 1]);
  if (close) doc.closePath();
}

function drawLayer(
  doc: Doc,
  layers: CityLayers,
  kind: LayerKind,
  view: [number, number, number, number],
  p: Projection,
  paint: (doc: Doc, shape: Projected) => void,
  keep: (props: Record<string, unknown>) => boolean = () => true,
): void {
  const layer = layers.get(kind)?.layer;
  if (!layer) return;
  paint(doc, projectLayer(layer, view, p, keep));
}

function strokeLines(colour: string, width: number, dash?: number) {
  return (doc: Doc, shape: Projected): void => {
    if (shape.lines.length === 0 && shape.polygons.length === 0) return;
    for (const l of shape.lines) if (l.length >= 4) tracePath(doc, l, false);
    for (const poly of shape.polygons) for (const r of poly) tracePath(doc, r, true);
    if (dash) doc.dash(dash, { space: dash * 0.8 });
    doc.lineWidth(width).strokeColor(colour).stroke();
    if (dash) doc.undash();
  };
}

function fillPolygons(colour: string) {
  return (doc: Doc, shape: Projected): void => {
    if (shape.polygons.length === 0) return;
    for (const poly of shape.polygons) for (const r of poly) tracePath(doc, r, true);
    doc.fillColor(colour).fill('even-odd');
  };
}

/** Class index (0 = hottest) of every study cell by its rank, or −1 for cells left uncoloured. */
export function riskClasses(risk: ArrayLike<number>, studyMask: ArrayLike<number>): Int8Array {
  const order = rankCells(risk, studyCellsOf(studyMask));
  const study = order.length;
  const cells = Array.from(order).filter((c) => risk[c] > 0);
  const out = new Int8Array(risk.length).fill(-1);
  cells.forEach((c, i) => {
    const share = (i + 1) / study;
    const k = RISK_CLASSES.findIndex((rc) => share <= rc.upTo + 1e-12);
    out[c] = k;
  });
  return out;
}

export function drawMap(
  doc: Doc,
  box: Box,
  map: BriefingMap,
  areas: BriefingArea[],
  opts: { geoDir?: string; font: string; boldFont: string },
): Projection {
  const layers = map.layers ?? builtinLayers(opts.geoDir ?? DEFAULT_GEO_DIR);
  const view = mapView(map.grid, layers.get('boundary')?.layer);
  const p = fitProjection(view, box);
  const { grid } = map;
  doc.save();
  doc.rect(box.x, box.y, box.w, box.h).clip();
  doc.rect(box.x, box.y, box.w, box.h).fillColor('#ffffff').fill();
  drawLayer(doc, layers, 'boundary', view, p, fillPolygons(STYLE.land));
  drawLayer(doc, layers, 'parks', view, p, fillPolygons(STYLE.park));
  drawLayer(
    doc,
    layers,
    'water',
    view,
    p,
    strokeLines(STYLE.water, 0.6),
    // DC's hydrography also outlines every pond and shore; its streams and sea walls read best at this scale.
    layers.source === 'builtin'
      ? (props) => props.DESCRIPTION === 'Stream' || props.DESCRIPTION === 'Sea Wall'
      : () => true,
  );

  const classes = riskClasses(map.risk, map.studyMask);
  const [s, w, n, e] = grid.bbox;
  const cw = (e - w) / grid.cols;
  const ch = (n - s) / grid.rows;
  doc.fillOpacity(0.78);
  RISK_CLASSES.forEach((rc, k) => {
    let any = false;
    for (let c = 0; c < classes.length; c++) {
      if (classes[c] !== k) continue;
      const row = Math.floor(c / grid.cols);
      const col = c % grid.cols;
      const x0 = p.x(w + col * cw);
      const y0 = p.y(n - row * ch);
      doc.rect(x0, y0, p.x(w + (col + 1) * cw) - x0, p.y(n - (row + 1) * ch) - y0);
      any = true;
    }
    if (any) doc.fillColor(rc.colour).fill();
  });
  doc.fillOpacity(1);

  drawLayer(doc, layers, 'roads', view, p, strokeLines(STYLE.road, 0.3));
  drawLayer(doc, layers, 'highways', view, p, strokeLines(STYLE.highway, 0.9));
  drawLayer(doc, layers, 'districts', view, p, strokeLines(STYLE.district, 0.7, 2.5));
  drawLayer(doc, layers, 'boundary', view, p, strokeLines(STYLE.boundary, 0.9));
  drawDistrictLabels(doc, layers, p, opts.boldFont);
  drawAreas(doc, grid, p, areas, opts.boldFont);
  doc.restore();
  doc.rect(box.x, box.y, box.w, box.h).lineWidth(0.5).strokeColor('#666666').stroke();
  drawScaleBar(doc, box, p, opts.font);
  return p;
}

function drawDistrictLabels(doc: Doc, layers: CityLayers, p: Projection, font: string): void {
  const districts = layers.get('districts');
  if (!districts?.nameField) return;
  const { layer, nameField } = districts;
  doc.font(font).fontSize(6.5).fillColor(STYLE.district);
  for (const f of layer.features) {
    const d = f.props[nameField];
    if (typeof d !== 'number' && typeof d !== 'string') continue;
    // The bbox centre sits inside these compact districts; a label only needs to be near its polygon.
    const x = p.x((f.bbox[0] + f.bbox[2]) / 2);
    const y = p.y((f.bbox[1] + f.bbox[3]) / 2);
    // MPD numbers its districts ("5"), and writes them "5D"; an imported layer's names stand as they are.
    const label = layers.source === 'builtin' ? `${String(d).slice(0, 3)}D` : String(d).slice(0, 8);
    doc.text(label, x - 8, y - 3, { width: 16, align: 'center', lineBreak: false });
  }
}

function drawAreas(doc: Doc, grid: GridSpec, p: Projection, areas: BriefingArea[], font: string): void {
  const [s, w, n, e] = grid.bbox;
  const cw = (e - w) / grid.cols;
  const ch = (n - s) / grid.rows;
  for (const a of areas) {
    const set = new Set(a.cells);
    // Outline only the edges between an area cell and a non-area cell, so the area reads as one shape.
    for (const c of a.cells) {
      const row = Math.floor(c / grid.cols);
      const col = c % grid.cols;
      const x0 = p.x(w + col * cw);
      const x1 = p.x(w + (col + 1) * cw);
      const y0 = p.y(n - row * ch);
      const y1 = p.y(n - (row + 1) * ch);
      if (row === 0 || !set.has(c - grid.cols)) doc.moveTo(x0, y0).lineTo(x1, y0);
      if (row === grid.rows - 1 || !set.has(c + grid.cols)) doc.moveTo(x0, y1).lineTo(x1, y1);
      if (col === 0 || !set.has(c - 1)) doc.moveTo(x0, y0).lineTo(x0, y1);
      if (col === grid.cols - 1 || !set.has(c + 1)) doc.moveTo(x1, y0).lineTo(x1, y1);
    }
    doc.lineWidth(1.4).strokeColor(STYLE.area).lineCap('square').stroke();
  }
  for (const a of areas) {
    // The badge sits on the area cell nearest the mean centre: the mean of an L-shape can fall outside it.
    const centre = nearestCellCentre(grid, a);
    const x = p.x(centre.lon);
    const y = p.y(centre.lat);
    doc.circle(x, y, 5.2).lineWidth(0.8).fillAndStroke('#ffffff', '#000000');
    doc.font(font).fontSize(6.5).fillColor('#000000');
    doc.text(String(a.rank), x - 6, y - 2.6, { width: 12, align: 'center', lineBreak: false });
  }
}

function nearestCellCentre(grid: GridSpec, a: BriefingArea): { lat: number; lon: number } {
  let best = cellCentre(grid, a.cells[0]);
  let bestD = Infinity;
  for (const c of a.cells) {
    const q = cellCentre(grid, c);
    const d = (q.lat - a.centre.lat) ** 2 + (q.lon - a.centre.lon) ** 2;
    if (d < bestD) [best, bestD] = [q, d];
  }
  return best;
}

function drawScaleBar(doc: Doc, box: Box, p: Projection, font: string): void {
  // The longest round distance that fits in a quarter of the map width.
  const candidates = [500, 1000, 2000, 5000, 10_000, 20_000, 50_000];
  const metres = candidates.filter((m) => m * p.pointsPerMetre <= box.w / 4).pop() ?? 500;
  const len = metres * p.pointsPerMetre;
  const x = box.x + 8;
  const y = box.y + box.h - 12;
  doc
    .rect(x - 3, y - 9, len + 6, 17)
    .fillOpacity(0.8)
    .fillColor('#ffffff')
    .fill()
    .fillOpacity(1);
  doc
    .moveTo(x, y)
    .lineTo(x + len, y)
    .lineWidth(1.2)
    .strokeColor('#000000')
    .stroke();
  doc
    .moveTo(x, y - 3)
    .lineTo(x, y + 3)
    .moveTo(x + len, y - 3)
    .lineTo(x + len, y + 3)
    .stroke();
  doc.font(font).fontSize(6).fillColor('#000000');
  doc.text(metres >= 1000 ? `${metres / 1000} km` : `${metres} m`, x, y - 9, {
    width: len,
    align: 'center',
    lineBreak: false,
  });
  // A drawn arrow, not a glyph: the standard fonts have no arrows.
  const nx = box.x + box.w - 14;
  doc
    .polygon([nx, box.y + 6], [nx - 4, box.y + 16], [nx + 4, box.y + 16])
    .fillColor('#000000')
    .fill();
  doc.text('N', nx - 6, box.y + 17, { width: 12, align: 'center', lineBreak: false });
}

export function drawLegend(doc: Doc, x: number, y: number, font: string, boldFont: string): number {
  doc
    .font(boldFont)
    .fontSize(8)
    .fillColor('#000000')
    .text('Forecast risk (share of study area)', x, y, { lineBreak: false });
  let yy = y + 12;
  for (const rc of RISK_CLASSES) {
    doc.rect(x, yy, 14, 8).fillOpacity(0.78).fillColor(rc.colour).fill().fillOpacity(1);
    doc
      .font(font)
      .fontSize(7.5)
      .fillColor('#000000')
      .text(rc.label, x + 19, yy, { lineBreak: false });
    yy += 11;
  }
  const swatch = (label: string, draw: () => void): void => {
    draw();
    doc
      .font(font)
      .fontSize(7.5)
      .fillColor('#000000')
      .text(label, x + 19, yy, { lineBreak: false });
    yy += 11;
  };
  swatch('Patrol area (numbered)', () =>
    doc.rect(x, yy, 14, 8).lineWidth(1.4).strokeColor('#000000').stroke(),
  );
  swatch('Police district', () => {
    doc
      .dash(2.5, { space: 2 })
      .moveTo(x, yy + 4)
      .lineTo(x + 14, yy + 4)
      .lineWidth(0.7)
      .strokeColor(STYLE.district)
      .stroke();
    doc.undash();
  });
  swatch('Major road / interstate', () =>
    doc
      .moveTo(x, yy + 4)
      .lineTo(x + 14, yy + 4)
      .lineWidth(0.9)
      .strokeColor(STYLE.highway)
      .stroke(),
  );
  swatch('Water', () =>
    doc
      .moveTo(x, yy + 4)
      .lineTo(x + 14, yy + 4)
      .lineWidth(0.8)
      .strokeColor(STYLE.water)
      .stroke(),
  );
  swatch('Park', () => doc.rect(x, yy, 14, 8).fillColor(STYLE.park).fill());
  return yy;
}
