import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pageOneMapBox, renderPdf } from './pdf.ts';
import { syntheticBriefing } from './synthetic.ts';
import { countPixels, pdfInfo, pdfText, pdfWords, rasterise } from './testing/poppler.ts';
import type { BriefingReport } from './types.ts';

const SECTIONS = [
  'LAW ENFORCEMENT SENSITIVE',
  'Gunfire forecast briefing',
  'Forecast window: Sat 29 Sep 2018 00:00',
  'EDT (America/New_York)',
  'Generated Fri 28 Sep 2018 17:00 EDT',
  'Forecast risk (share of study area)',
  'PATROL AREAS',
  'RECENT ACTIVITY',
  'Last 7 days by type',
  'Time of day, last 28 days',
  'MODEL AND TRACK RECORD',
  'Data cut-off',
  'HOW THE PATROL AREAS WERE CHOSEN',
  'WHAT THIS FORECAST IS NOT',
  'not a prediction about any person',
  'not confirmed shootings',
  'PROVENANCE',
];

/** Table rows: rank, then "lat, lon" with four decimals. */
const ROW = /^\s*(\d+)\s+(-?\d+\.\d{4}), (-?\d+\.\d{4})\s/;

const isPaper = (r: number, g: number, b: number): boolean => r > 250 && g > 250 && b > 250;
const isRiskRed = (r: number, g: number, b: number): boolean => r > 180 && g < 170 && b < 160;

describe('renderPdf', () => {
  it('draws two pages with every section and one table row per unit', async () => {
    for (const units of [3, 12]) {
      const { report, map } = syntheticBriefing(units);
      const pdf = await renderPdf(report, map);
      expect(Number(pdfInfo(pdf).Pages)).toBe(2);
      const text = pdfText(pdf);
      for (const s of SECTIONS) expect(text, s).toContain(s);
      const rows = pdfText(pdf, 1)
        .split('\n')
        .map((l) => ROW.exec(l))
        .filter((m) => m !== null);
      expect(rows.map((m) => Number(m[1]))).toEqual(report.areas.map((a) => a.rank));
      expect(rows.map((m) => Number(m[2]))).toEqual(report.areas.map((a) => Number(a.centre.lat.toFixed(4))));
      // The track-record sentence is printed in full, in plain language.
      expect(text.replace(/\s+/g, ' ')).toContain('the 5 % of the area this model flagged held 38 %');
    }
  });

  it('draws a map that is not blank: basemap, risk cells and patrol areas inside the map box', async () => {
    const { report, map } = syntheticBriefing(5);
    const pdf = await renderPdf(report, map);
    const img = rasterise(pdf, 1, 50);
    const box = pageOneMapBox(5);
    const inner = { x: box.x + 2, y: box.y + 2, w: box.w - 4, h: box.h - 4 };
    const ink = countPixels(img, inner, (r, g, b) => !isPaper(r, g, b));
    const red = countPixels(img, inner, isRiskRed);
    expect(ink.hits / ink.total).toBeGreaterThan(0.25);
    expect(red.hits).toBeGreaterThan(100);

    // The same check fails on a map with no layers and no risk, so it does measure the map.
    const empty = { ...map, risk: new Float32Array(map.risk.length) };
    const dir = mkdtempSync(join(tmpdir(), 'no-geo-'));
    const blank = rasterise(await renderPdf({ ...report, areas: [] }, empty, { geoDir: dir }), 1, 50);
    const blankInk = countPixels(blank, inner, (r, g, b) => !isPaper(r, g, b));
    expect(blankInk.hits / blankInk.total).toBeLessThan(0.05);
  });

  it('keeps hostile values inside the layout: markup, 500-character names, right-to-left and control text', async () => {
    const { report, map } = syntheticBriefing(6);
    const long = 'W'.repeat(500);
    const hostile: BriefingReport = {
      ...report,
      agency: `<script>alert("x")</script> ${long}`,
      marking: 'סודי ביותר \u202eDETAMRAF\u202c LAW ENFORCEMENT SENSITIVE',
      title: `Briefing ${'title '.repeat(100)}`,
      dataset: { ...report.dataset, name: `<img src=x onerror=alert(1)>${long}` },
      model: { ...report.model, spec: `kde:${'p=1,'.repeat(150)}` },
      areas: report.areas.map((a, i) => ({
        ...a,
        neighbourhood:
          i === 0 ? long : i === 1 ? 'حي السلام\u0000\u0007 <b>bold</b>' : `Name\r\nwith\tbreaks ${i}`,
        psa: i === 2 ? '9'.repeat(300) : a.psa,
        district: '<i>7D</i>'.repeat(20),
      })),
    };
    const pdf = await renderPdf(hostile, map);
    expect(Number(pdfInfo(pdf).Pages)).toBe(2);
    const words = pdfWords(pdf);
    for (const w of words) {
      expect(w.xMin, w.text).toBeGreaterThanOrEqual(35);
      expect(w.xMax, w.text).toBeLessThanOrEqual(612 - 35);
      expect(w.yMax, w.text).toBeLessThanOrEqual(792);
    }
    const text = pdfText(pdf);
    // Markup is printed as inert text, cut to fit; 500 characters never reach the page whole.
    expect(text).toContain('<script>alert("x")</script>');
    expect(text).not.toContain('W'.repeat(200));
    expect(text).toContain('…');
    // Our bidi override and control characters are removed (pdftotext adds its own U+202B/U+202C around
    // right-to-left runs, so those are not checked); the override no longer reverses the Latin text.
    for (const ch of ['\u202e', '\u0000', '\u0007']) expect(text.includes(ch)).toBe(false);
    expect(text).toContain('DETAMRAF LAW ENFORCEMENT SENSITIVE');
    for (const ch of 'סודי') expect(text).toContain(ch);
    // Still one row per unit on page 1.
    const rows = pdfText(pdf, 1)
      .split('\n')
      .filter((l) => ROW.test(l));
    expect(rows).toHaveLength(6);
  });

  it('falls back to the standard font and replaces what it cannot print when the bundled font is missing', async () => {
    const { report, map } = syntheticBriefing(2);
    const pdf = await renderPdf({ ...report, agency: 'Agency 東京 café' }, map, {
      fontDir: join(tmpdir(), 'no-such-font-dir'),
    });
    const text = pdfText(pdf, 1);
    expect(text).toContain('Agency ?? café');
    expect(pdfInfo(pdf).Pages).toBe('2');
  });
});
