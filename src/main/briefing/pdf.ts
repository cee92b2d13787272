/**
 * The two-page roll-call briefing, drawn with pdfkit (no browser): page 1 is the masthead, the map and
 * the patrol-area table; page 2 is recent activity, the model's track record, how the areas were
 * chosen, what the forecast is not, and provenance. Every untrusted string passes through cleanText
 * and is fitted to its box, so no value can push the layout onto a third page.
 */
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { drawBars, drawHourHistogram } from './pdf-charts.ts';
import { drawLegend, drawMap, type Box } from './pdf-map.ts';
import { cleanText, fitText } from './text.ts';
import { localLabel } from './when.ts';
import { MAX_UNITS, type BriefingMap, type BriefingReport } from './types.ts';
import { resourcePath } from '../util/resources.ts';

type Doc = InstanceType<typeof PDFDocument>;

const PAGE = { w: 612, h: 792, margin: 36 };
const CONTENT_W = PAGE.w - 2 * PAGE.margin;
export { MAX_UNITS };

const FONT_DIR = resourcePath('fonts');

export interface RenderOptions {
  geoDir?: string;
  fontDir?: string;
}

interface Fonts {
  body: string;
  bold: string;
  /** True when a font lacks a character and it must be replaced (the standard 14 fonts are WinAnsi only). */
  missing: (cp: number) => boolean;
}

// Characters the standard 14 fonts can print (WinAnsi: Latin-1 plus these from Windows-1252).
const WIN_ANSI_EXTRA = new Set([
  0x20ac, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x17d, 0x2018,
  0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x17e, 0x178,
]);

export function isWinAnsi(cp: number): boolean {
  return (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff) || WIN_ANSI_EXTRA.has(cp);
}

/**
 * Helvetica when every character of the report is WinAnsi (no font to parse or embed: the common case,
 * and several hundred milliseconds faster); the bundled DejaVu Sans when some name needs more of
 * Unicode. Without the bundled font, other characters print as '?'.
 */
function setupFonts(doc: Doc, fontDir: string, report: BriefingReport): Fonts {
  const standard: Fonts = { body: 'Helvetica', bold: 'Helvetica-Bold', missing: (cp) => !isWinAnsi(cp) };
  const needsUnicode = Array.from(JSON.stringify(report)).some((ch) => !isWinAnsi(ch.codePointAt(0) ?? 0));
  const regular = `${fontDir}/DejaVuSansCondensed.ttf`;
  const bold = `${fontDir}/DejaVuSansCondensed-Bold.ttf`;
  if (!needsUnicode || !existsSync(regular) || !existsSync(bold)) return standard;
  doc.registerFont('body', regular);
  doc.registerFont('bold', bold);
  doc.font('body');
  const font = (doc as unknown as { _font?: { font?: { hasGlyphForCodePoint?: (cp: number) => boolean } } })
    ._font?.font;
  const has = font?.hasGlyphForCodePoint?.bind(font);
  return { body: 'body', bold: 'bold', missing: (cp) => (has ? !has(cp) : !isWinAnsi(cp)) };
}

/** Renders the briefing; resolves to the PDF file's bytes. */
export async function renderPdf(
  report: BriefingReport,
  map: BriefingMap,
  opts: RenderOptions = {},
): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'LETTER',
    margin: 0,
    autoFirstPage: true,
    compress: true,
    info: {
      Title: cleanText(`${report.title} — ${report.window.label}`, 200),
      Author: cleanText(report.agency, 200),
      Subject: cleanText(report.marking, 100),
      Creator: 'shotcast',
      CreationDate: new Date(report.generatedAt),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const fonts = setupFonts(doc, opts.fontDir ?? FONT_DIR, report);
  const w = new Writer(doc, fonts);
  pageOne(w, report, map, opts);
  doc.addPage({ size: 'LETTER', margin: 0 });
  pageTwo(w, report);
  doc.end();
  return done;
}

/** Text drawing that cleans, replaces unprintable characters and fits every string to its box. */
class Writer {
  constructor(
    readonly doc: Doc,
    readonly fonts: Fonts,
  ) {}

  safe(value: unknown, maxChars = 200): string {
    return Array.from(cleanText(value, maxChars))
      .map((ch) => (this.fonts.missing(ch.codePointAt(0) ?? 0) ? '?' : ch))
      .join('');
  }

  /** One line, cut with an ellipsis to `width`. */
  line(
    value: unknown,
    x: number,
    y: number,
    width: number,
    style: { size?: number; bold?: boolean; colour?: string; align?: 'left' | 'right' | 'center' } = {},
  ): void {
    const font = style.bold ? this.fonts.bold : this.fonts.body;
    const size = style.size ?? 8;
    this.doc.font(font).fontSize(size);
    const text = fitText(this.safe(value), width, (s) => this.doc.widthOfString(s));
    this.doc.fillColor(style.colour ?? '#000000').text(text, x, y, {
      width,
      align: style.align ?? 'left',
      lineBreak: false,
    });
  }

  /** A wrapped paragraph limited to `height` (cut with an ellipsis); returns the height used. */
  para(
    value: unknown,
    x: number,
    y: number,
    width: number,
    height: number,
    size = 8.5,
    maxChars = 600,
  ): number {
    this.doc.font(this.fonts.body).fontSize(size).fillColor('#000000');
    const text = this.safe(value, maxChars);
    const used = Math.min(height, this.doc.heightOfString(text, { width }));
    this.doc.text(text, x, y, { width, height, ellipsis: true });
    return used;
  }

  heading(text: string, y: number): number {
    this.doc.rect(PAGE.margin, y, CONTENT_W, 0.8).fillColor('#000000').fill();
    this.line(text, PAGE.margin, y + 4, CONTENT_W, { size: 9.5, bold: true });
    return y + 18;
  }
}

/** An ISO instant of the report as local wall time with the zone's abbreviation; unparseable text as is. */
function when(report: BriefingReport, iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : localLabel(report.dataset.tz, ms);
}

function markingBands(w: Writer, report: BriefingReport, page: number): void {
  const { doc } = w;
  const marking = report.marking.trim() === '' ? 'UNCLASSIFIED' : report.marking;
  for (const y of [14, PAGE.h - 28]) {
    doc.rect(PAGE.margin, y, CONTENT_W, 14).fillColor('#7a0000').fill();
    w.line(marking, PAGE.margin + 4, y + 3, CONTENT_W - 8, {
      size: 8,
      bold: true,
      colour: '#ffffff',
      align: 'center',
    });
  }
  w.line(
    `${report.agency} · ${report.title} · generated ${report.generatedLabel} · page ${page} of 2`,
    PAGE.margin,
    PAGE.h - 40,
    CONTENT_W,
    { size: 6.5, colour: '#555555', align: 'center' },
  );
}

function masthead(w: Writer, report: BriefingReport): number {
  w.line(report.agency, PAGE.margin, 34, CONTENT_W, { size: 10, bold: true, colour: '#333333' });
  w.line(report.title, PAGE.margin, 47, CONTENT_W, { size: 17, bold: true });
  w.line(`Forecast window: ${report.window.label}`, PAGE.margin, 68, CONTENT_W, { size: 9.5, bold: true });
  w.line(
    `Generated ${report.generatedLabel} · dataset ${report.dataset.name} (${report.dataset.city}) · model ${report.model.label} · data before ${when(report, report.model.cutoff)}`,
    PAGE.margin,
    81,
    CONTENT_W,
    { size: 7.5, colour: '#333333' },
  );
  return 96;
}

/** Where page 1's map goes: it gives up height to the table as the number of units grows. */
export function pageOneMapBox(units: number): Box {
  const top = 96;
  const tableH = 32 + 12 * Math.min(units, MAX_UNITS);
  const bottom = PAGE.h - 46;
  return { x: PAGE.margin, y: top, w: 340, h: Math.min(430, bottom - top - tableH - 10) };
}

function pageOne(w: Writer, report: BriefingReport, map: BriefingMap, opts: RenderOptions): void {
  markingBands(w, report, 1);
  const top = masthead(w, report);
  const units = Math.min(report.areas.length, MAX_UNITS);
  const mapBox = pageOneMapBox(units);
  const mapH = mapBox.h;
  drawMap(w.doc, mapBox, map, report.areas.slice(0, units), {
    geoDir: opts.geoDir,
    font: w.fonts.body,
    boldFont: w.fonts.bold,
  });
  const rx = PAGE.margin + mapBox.w + 14;
  const rw = PAGE.w - PAGE.margin - rx;
  let y = drawLegend(w.doc, rx, top, w.fonts.body, w.fonts.bold) + 16;
  const d = report.deployment;
  const pct = (v: number): string => `${(100 * v).toFixed(1)} %`;
  const v = report.volume;
  w.line('Detections', rx, y, rw, { size: 9, bold: true });
  y += 13;
  y += w.para(`Citywide, ${v.text}.`, rx, y, rw, 40, 8) + 4;
  y += w.para(`Suggested units: ${v.suggestedUnits} (${v.suggestionRule}).`, rx, y, rw, 40, 8) + 8;
  w.line('Deployment', rx, y, rw, { size: 9, bold: true });
  y += 13;
  const cellSize = `${Math.round(report.grid.cellMeters[0])} × ${Math.round(report.grid.cellMeters[1])} m`;
  const lines = [
    `${d.units} unit${d.units === 1 ? '' : 's'}, each a patrol area of up to ${d.maxCells} adjacent cells (${cellSize} each).`,
    `Expected share of next-step gunfire inside the areas: ${pct(d.coverage)} (${d.cells} cells).`,
    `The top ${d.topCells.cells} cells taken one by one would hold ${pct(d.topCells.coverage)}, but in ${d.topCells.clusters} separate spot${d.topCells.clusters === 1 ? '' : 's'} for ${d.units} unit${d.units === 1 ? '' : 's'}.`,
    // A proof of optimality means nothing for a forecast with no risk (forecastAt refuses those anyway).
    d.optimal && d.coverage > 0
      ? 'These areas are the best possible choice for this forecast (proven).'
      : `Search stopped early: no choice can exceed ${pct(d.upperBound)}.`,
  ];
  for (const l of lines) y += w.para(l, rx, y, rw, 40, 8) + 4;

  let ty = top + mapH + 12;
  ty = w.heading('PATROL AREAS', ty);
  const cols: { label: string; width: number; align?: 'right' }[] = [
    { label: '#', width: 16 },
    { label: 'Centre (lat, lon)', width: 80 },
    { label: 'Neighbourhood', width: 168 },
    { label: 'PSA', width: 38 },
    { label: 'District', width: 42 },
    { label: 'Exp. events', width: 62, align: 'right' },
    { label: 'Last 7 d', width: 36, align: 'right' },
    { label: 'Last 28 d', width: 40, align: 'right' },
    { label: 'Exp. share', width: 48, align: 'right' },
  ];
  const row = (cells: string[], y0: number, bold: boolean): void => {
    let x = PAGE.margin;
    cols.forEach((c, i) => {
      w.line(cells[i], x, y0, c.width - 4, { size: 7.5, bold, align: c.align ?? 'left' });
      x += c.width;
    });
  };
  row(
    cols.map((c) => c.label),
    ty,
    true,
  );
  ty += 12;
  report.areas.slice(0, units).forEach((a, i) => {
    if (i % 2 === 0)
      w.doc
        .rect(PAGE.margin, ty - 2, CONTENT_W, 12)
        .fillColor('#f0f0f0')
        .fill();
    row(
      [
        String(a.rank),
        `${a.centre.lat.toFixed(4)}, ${a.centre.lon.toFixed(4)}`,
        a.neighbourhood,
        a.psa,
        a.district,
        a.risk.toFixed(2),
        String(a.last7),
        String(a.last28),
        `${(100 * a.share).toFixed(1)} %`,
      ],
      ty,
      false,
    );
    ty += 12;
  });
}

const TYPE_LABELS: { key: keyof BriefingReport['recent']['byType7']; label: string; colour: string }[] = [
  { key: 'multiple', label: 'Multiple gunshots', colour: '#a50f15' },
  { key: 'single', label: 'Single gunshot', colour: '#de2d26' },
  { key: 'gunshot_or_firecracker', label: 'Gunshot or firecracker', colour: '#fc9272' },
  { key: 'unknown', label: 'Other / unknown type', colour: '#bdbdbd' },
];

function pageTwo(w: Writer, report: BriefingReport): void {
  markingBands(w, report, 2);
  w.line(report.title, PAGE.margin, 34, CONTENT_W, { size: 11, bold: true });
  w.line(`Forecast window: ${report.window.label}`, PAGE.margin, 49, CONTENT_W, { size: 8.5 });
  let y = w.heading('RECENT ACTIVITY', 66);
  const half = (CONTENT_W - 20) / 2;
  const r = report.recent;
  w.line(
    report.typeNote
      ? `Last 7 days: ${r.total7} detections since ${when(report, r.from7)}`
      : `Last 7 days by type (${r.total7} detections since ${when(report, r.from7)})`,
    PAGE.margin,
    y,
    half,
    {
      size: 8,
      bold: true,
    },
  );
  w.line(
    `Time of day, last 28 days (${r.total28} detections, local hour)`,
    PAGE.margin + half + 20,
    y,
    half,
    {
      size: 8,
      bold: true,
    },
  );
  if (report.typeNote) {
    // No typed event: a bar chart would be one grey "unknown" bar posing as a mix. Say so instead.
    const note = report.typeNote.charAt(0).toUpperCase() + report.typeNote.slice(1) + '.';
    w.para(note, PAGE.margin, y + 16, half, 60, 8);
  } else {
    drawBars(
      w.doc,
      { x: PAGE.margin, y: y + 14, w: half, h: 80 },
      TYPE_LABELS.map((t) => ({ label: t.label, value: r.byType7[t.key] ?? 0, colour: t.colour })),
      w.fonts.body,
    );
  }
  drawHourHistogram(
    w.doc,
    { x: PAGE.margin + half + 20, y: y + 12, w: half, h: 86 },
    r.hourly28,
    w.fonts.body,
  );
  y += 108;

  y = w.heading('MODEL AND TRACK RECORD', y);
  const m = report.model;
  y +=
    w.para(
      `Model: ${m.label}. Data cut-off: events before ${when(report, m.cutoff)} (${report.dataset.tz}).`,
      PAGE.margin,
      y,
      CONTENT_W,
      24,
    ) + 4;
  const skill =
    report.skill?.sentence ??
    'No walk-forward evaluation of this model is stored for this dataset, so its track record cannot be stated. Run `shotcast evaluate` on this dataset to measure it against the classical baselines.';
  y += w.para(skill, PAGE.margin, y, CONTENT_W, 48, 9.5) + 10;

  y = w.heading('HOW THE PATROL AREAS WERE CHOSEN', y);
  const d = report.deployment;
  const pct = (v: number): string => `${(100 * v).toFixed(1)} %`;
  const how =
    `Each of the ${d.units} units gets one patrol area: a group of up to ${d.maxCells} adjacent grid cells, with no two areas overlapping. ` +
    `The areas are chosen to hold the largest expected share of the next step's detections (${pct(d.coverage)}), ` +
    `by enumerating every connected group of cells and searching the combinations (${d.method}). ` +
    `Taking the ${d.topCells.cells} highest-risk cells one by one would hold ${pct(d.topCells.coverage)}, scattered over ${d.topCells.clusters} spots. ` +
    `Risk is the model's expected number of detections in the step; expected share is that divided by the total over the study area.`;
  y += w.para(how, PAGE.margin, y, CONTENT_W, 70) + 10;

  y = w.heading('WHAT THIS FORECAST IS NOT', y);
  const caveatH = w.para(report.caveat.join(' '), PAGE.margin + 8, y + 6, CONTENT_W - 16, 84, 8.5, 1200);
  w.doc
    .rect(PAGE.margin, y, CONTENT_W, caveatH + 12)
    .lineWidth(0.8)
    .strokeColor('#7a0000')
    .stroke();
  y += caveatH + 22;

  y = w.heading('PROVENANCE', y);
  const p = report.provenance;
  const g = report.grid;
  const small = [
    `Dataset: ${report.dataset.name} · sha256 ${p.datasetHash}`,
    `Model: ${m.name} · hash ${p.modelHash}`,
    `Parameters: ${p.params}`,
    ...(p.holidays?.length ? [`Holidays besides the built-in ones: ${p.holidays.join(', ')}`] : []),
    `Grid: ${g.rows} × ${g.cols} cells over [${g.bbox.map((v) => v.toFixed(4)).join(', ')}] (s, w, n, e), cell ${g.cellMeters.map((v) => v.toFixed(0)).join(' × ')} m · step ${report.window.step}`,
    `Window: ${report.window.start} to ${report.window.end} · generated ${report.generatedAt} · ${p.software}`,
  ];
  for (const s of small) {
    y += w.para(s, PAGE.margin, y, CONTENT_W, 18, 6.5, 400) + 1;
  }
}
