/**
 * The Briefing panel in a real browser against `npm run web` on a fresh database: preview the PDF the
 * main process draws (renderBriefing, as `shotcast brief`), then export it and check the download is
 * the previewed file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  launchChromium,
  REPO_ROOT,
  startWeb,
  waitForForecast,
  watchPage,
  type WebServer,
} from './harness.ts';

const SHOTS = join(REPO_ROOT, 'test-results', 'screenshots');
/** The id of Chromium's built-in PDF viewer extension. */
const PDF_VIEWER = 'mhjfbmdgcfjbbpaeojofohoefgiehjai';

describe('briefing panel in headless Chromium', { timeout: 120_000 }, () => {
  let web: WebServer;
  let browser: Browser;
  let page: Page;
  let offsite: string[] = [];
  let consoleErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    web = await startWeb();
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: 1400, height: 900 },
      serviceWorkers: 'block',
      acceptDownloads: true,
    });
    page = await context.newPage();
    // Chromium's own PDF viewer (a built-in extension and its chrome:// resources) draws the preview.
    ({ offsite, consoleErrors } = watchPage(
      page,
      web.origin,
      (u) => u.startsWith(`chrome-extension://${PDF_VIEWER}/`) || u.startsWith('chrome://resources/'),
    ));
    await page.goto(web.url);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
  });

  it('previews the briefing for the forecast in view with the chosen number of units', async () => {
    const caption = await waitForForecast(page);
    const day = /forecast for (\d{4}-\d{2}-\d{2})/.exec(caption)?.[1];
    expect(day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // The Forecast panel states the step's expected detections beside the typical weekday's.
    await page.getByTestId('tab-forecast').click();
    await page.getByTestId('forecast-volume').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('forecast-volume').textContent()).toMatch(
      /^Citywide: expected [\d.]+ \(typical (Sun|Mon|Tues|Wednes|Thurs|Fri|Satur)day [\d.]+(; [^)]+)?\)$/,
    );
    // Until the analyst types a number here, the briefing deploys the Forecast panel's units.
    for (const n of ['4', '3']) {
      await page.getByTestId('tab-forecast').click();
      await page.getByTestId('forecast-units').fill(n);
      await page.getByTestId('tab-briefing').click();
      expect(await page.getByTestId('briefing-units').inputValue()).toBe(n);
    }
    expect(await page.getByTestId('briefing-date').inputValue()).toBe(day);
    await page.getByTestId('briefing-units').fill('3');
    await page.getByTestId('briefing-agency').fill('Test Precinct <script>alert(1)</script>');
    await page.getByTestId('briefing-marking').fill('FOR TEST ONLY');
    await page.getByTestId('briefing-preview').click();
    await page.getByTestId('briefing-result').waitFor({ timeout: 90_000 });
    await expect.poll(() => page.getByTestId('briefing-area-row').count()).toBe(3);
    const ranks = await page.locator('[data-testid=briefing-area-row] td:first-child').allTextContents();
    expect(ranks).toEqual(['1', '2', '3']);
    // The Forecast panel deploys the same three units on the same forecast as the briefing (one search,
    // one place naming): the same cells, the same places, the same shares; the map outlines them.
    const briefed = await page.locator('[data-testid=briefing-area-row]').evaluateAll((rows) =>
      rows.map((r) => ({
        cells: r.getAttribute('data-cells'),
        cols: [...r.querySelectorAll('td')].map((td) => td.textContent ?? ''),
      })),
    );
    expect(await page.getByTestId('briefing-summary').textContent()).toContain('kde');
    await page.getByTestId('tab-forecast').click();
    expect(await page.getByTestId('forecast-units').inputValue()).toBe('3');
    const deployed = await page
      .getByTestId('deployment-area')
      .evaluateAll((items) =>
        items.map((li) => ({ cells: li.getAttribute('data-cells'), text: li.textContent ?? '' })),
      );
    expect(deployed.map((d) => d.cells)).toEqual(briefed.map((b) => b.cells));
    deployed.forEach((d, i) => {
      const [, neighbourhood, psa, district, share] = briefed[i].cols;
      expect(d.text).toContain(`unit ${i + 1} · ${share}`);
      expect(d.text).toContain(`${district}, PSA ${psa}`);
      if (neighbourhood !== '—') expect(d.text).toContain(neighbourhood);
    });
    expect(await page.getByTestId('deployment-summary').textContent()).toMatch(
      /^3 units, each on up to 4 adjoining cells \(\d+ in all\), cover an expected [\d.]+ %/,
    );
    expect(await page.getByTestId('legend-units').textContent()).toContain('3 patrol areas');
    // A top cell inside a patrol area carries its unit's number.
    const firstCells = (deployed[0].cells ?? '').split(' ');
    const topUnits = await page
      .locator('[data-testid=top-cells] li')
      .evaluateAll((items) =>
        items.map((li) => ({ cell: li.getAttribute('data-cell'), text: li.textContent ?? '' })),
      );
    for (const t of topUnits.filter((t) => firstCells.includes(t.cell ?? '')))
      expect(t.text).toContain('unit 1');
    await page.screenshot({ path: join(SHOTS, 'forecast-deployment.png') });
    // Back on the Briefing tab, the form and the preview are as the analyst left them.
    await page.getByTestId('tab-briefing').click();
    expect(await page.getByTestId('briefing-agency').inputValue()).toBe(
      'Test Precinct <script>alert(1)</script>',
    );
    expect(await page.getByTestId('briefing-marking').inputValue()).toBe('FOR TEST ONLY');
    await page.getByTestId('briefing-result').waitFor({ timeout: 5_000 });
    // pdf.js draws the PDF's pages onto canvases in the page (no PDF plugin, which Electron's window
    // keeps off): both pages, each with the briefing's ink on it; the export's bytes get a blob: URL.
    expect(await page.getByTestId('briefing-summary').textContent()).toMatch(/bytes/);
    const pages = page.getByTestId('briefing-pages');
    await expect.poll(() => pages.getAttribute('data-pages'), { timeout: 30_000 }).toBe('2');
    type Canvas = {
      width: number;
      height: number;
      getContext(k: '2d'): {
        getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
      };
    };
    const ink = await pages.locator('canvas').evaluateAll((canvases) =>
      (canvases as unknown as Canvas[]).map((c) => {
        const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
        let dark = 0;
        let red = 0;
        for (let i = 0; i < data.length; i += 4) {
          if (data[i] < 100 && data[i + 1] < 100 && data[i + 2] < 100) dark++;
          if (data[i] > 100 && data[i + 1] < 50 && data[i + 2] < 50) red++;
        }
        return { w: c.width, h: c.height, dark: dark / (data.length / 4), red };
      }),
    );
    expect(ink).toHaveLength(2);
    for (const p of ink) {
      // Letter paper, drawn as wide as the panel.
      expect(p.h / p.w).toBeCloseTo(11 / 8.5, 1);
      expect(p.dark).toBeGreaterThan(0.005);
    }
    // The handling marking's dark-red bands (top and bottom of every page).
    expect(ink.map((p) => p.red > 500)).toEqual([true, true]);
    expect(await page.locator('[data-testid=panel-briefing] iframe').count()).toBe(0);
    const src = (await pages.getAttribute('data-pdf-url')) ?? '';
    expect(src).toMatch(/^blob:/);
    // The unit suggestion: 5 routine units × expected ÷ typical, its rule stated; taking it re-renders.
    const volume = (await page.getByTestId('briefing-volume').textContent()) ?? '';
    const m = /^Citywide, expected ([\d.]+) \(typical \w+ ([\d.]+)[^)]*\)\. Suggested units: (\d+)/.exec(
      volume,
    );
    expect(m, volume).not.toBeNull();
    const [expected, typical, suggested] = [Number(m![1]), Number(m![2]), Number(m![3])];
    // The figures are printed rounded, so the suggestion is checked against their bounds.
    const lo = Math.round((5 * (expected - 0.5)) / (typical + 0.5));
    const hi = Math.round((5 * (expected + 0.5)) / Math.max(0.05, typical - 0.5));
    expect(suggested).toBeGreaterThanOrEqual(Math.max(1, Math.min(20, lo)));
    expect(suggested).toBeLessThanOrEqual(Math.min(20, hi));
    expect(volume).toContain('5 routine units × expected ÷ typical');
    if (suggested !== 3) {
      // Taken with one click; on a loaded machine a click can land while the panel is between two
      // renders (the PDF frame reloading), so the test clicks again while the offer is still shown.
      const offer = page.getByTestId('briefing-use-suggestion');
      await expect
        .poll(
          async () => {
            if (await offer.isVisible().catch(() => false))
              await offer.click({ timeout: 5_000 }).catch(() => {});
            return page.getByTestId('briefing-units').inputValue();
          },
          { timeout: 30_000, interval: 1_000 },
        )
        .toBe(String(suggested));
      await page.getByTestId('briefing-preview').click();
      await page.getByTestId('briefing-result').waitFor({ timeout: 90_000 });
      await expect.poll(() => page.getByTestId('briefing-area-row').count()).toBe(suggested);
    }
    // The Forecast panel suggests the same number by the same rule, and deploys it with one click.
    await page.getByTestId('tab-forecast').click();
    const offered = (await page.getByTestId('forecast-suggestion').textContent()) ?? '';
    expect(offered).toMatch(
      new RegExp(`^Suggested units: ${suggested} \\(5 routine units × expected ÷ typical`),
    );
    if (suggested !== 3) {
      await page.getByTestId('forecast-use-suggestion').click();
      await expect
        .poll(() => page.getByTestId('deployment-area').count(), { timeout: 60_000 })
        .toBe(suggested);
      expect(await page.getByTestId('forecast-units').inputValue()).toBe(String(suggested));
      expect(await page.getByTestId('forecast-use-suggestion').count()).toBe(0);
    }
    await page.getByTestId('tab-briefing').click();
    await page.getByTestId('briefing-result').waitFor({ timeout: 5_000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(SHOTS, 'briefing-panel.png') });
  });

  it('exports the previewed bytes as a PDF download', async () => {
    const src = (await page.getByTestId('briefing-pages').getAttribute('data-pdf-url')) ?? '';
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      page.getByTestId('briefing-export').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^briefing-dc-sample-\d{4}-\d{2}-\d{2}\.pdf$/);
    const file = await download.path();
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(bytes.length).toBeGreaterThan(20_000);
    // The download is the previewed blob itself, not a second rendering.
    expect(download.url()).toBe(src);
    // The form's fields reached the PDF: poppler reads the agency (as text, not markup) and the marking.
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(Number(/Pages:\s+(\d+)/.exec(info)?.[1])).toBeLessThanOrEqual(2);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Test Precinct');
    expect(text).toContain('FOR TEST ONLY');
  });

  it('exports the same forecast’s grid and patrol areas as GeoJSON and as CSV', async () => {
    const rows = await page.locator('[data-testid=briefing-area-row]').evaluateAll((trs) =>
      trs.map((r) => ({
        cells: r.getAttribute('data-cells'),
        cols: [...r.querySelectorAll('td')].map((td) => td.textContent ?? ''),
      })),
    );
    const [geo] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      page.getByTestId('briefing-export-geojson').click(),
    ]);
    expect(geo.suggestedFilename()).toMatch(/^shotcast-dc-sample-\d{4}-\d{2}-\d{2}\.geojson$/);
    type Props = Record<string, string | number | null>;
    const fc = JSON.parse(readFileSync(await geo.path(), 'utf8')) as {
      type: string;
      features: { geometry: { type: string; coordinates: number[][][] }; properties: Props }[];
      shotcast: { dataset: string };
    };
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.shotcast.dataset).toBe('dc-sample');
    const cells = fc.features.filter((f) => f.properties.layer === 'forecast');
    const areas = fc.features.filter((f) => f.properties.layer === 'patrol-area');
    // The previewed briefing's areas, cell for cell and name for name.
    expect(areas.map((a) => a.properties.cells)).toEqual(rows.map((r) => r.cells));
    areas.forEach((a, i) => {
      const [, neighbourhood, psa, district] = rows[i].cols;
      expect([a.properties.neighbourhood, a.properties.psa, a.properties.district]).toEqual([
        neighbourhood,
        psa,
        district,
      ]);
    });
    // Every study cell once, ranked 1..N, its patrol area given where it lies in one.
    expect(cells.length).toBeGreaterThan(500);
    expect(new Set(cells.map((c) => c.properties.rank)).size).toBe(cells.length);
    const inAreas = new Set(rows.flatMap((r) => (r.cells ?? '').split(' ').map(Number)));
    for (const c of cells)
      expect(c.properties.patrolArea !== null).toBe(inAreas.has(Number(c.properties.cell)));
    expect(await page.getByTestId('briefing-gis-note').textContent()).toContain(
      `${cells.length} study cells and ${areas.length} patrol areas`,
    );

    const [csv] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      page.getByTestId('briefing-export-csv').click(),
    ]);
    expect(csv.suggestedFilename()).toMatch(/\.csv$/);
    const lines = readFileSync(await csv.path(), 'utf8')
      .trim()
      .split('\n');
    expect(lines[0]).toBe(
      'cell,row,col,centre_lat,centre_lon,south,west,north,east,risk,rank,top_share,patrol_area',
    );
    expect(lines.length - 1).toBe(cells.length);
  });

  it('made no request beyond 127.0.0.1 and logged no console error', () => {
    expect(offsite).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
