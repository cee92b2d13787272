/**
 * The workstation in a real browser: Debian's headless Chromium (software GL) driven by playwright-core
 * against `npm run web` on a fresh database, so the first-start path (import the DC sample, show a
 * forecast) runs for real. Screenshots of the main views land in test-results/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  launchChromium,
  REPO_ROOT,
  rpc,
  startWeb,
  waitForForecast,
  watchPage,
  type BrowserGlobals,
  type WebServer,
} from './harness.ts';

const SHOTS = join(REPO_ROOT, 'test-results', 'screenshots');

/** Pixels whose colour differs between two PNG screenshots of the same size (compared in the page). */
async function differingPixels(page: Page, a: Buffer, b: Buffer): Promise<number> {
  return page.evaluate(
    async ([a64, b64]) => {
      const g = globalThis as unknown as BrowserGlobals;
      const load = async (s: string) => {
        const img = new g.Image();
        img.src = `data:image/png;base64,${s}`;
        await img.decode();
        const c = g.document.createElement('canvas');
        c.width = img.width;
        c.height = img.height;
        const ctx = c.getContext('2d')!;
        ctx.drawImage(img, 0, 0);
        return ctx.getImageData(0, 0, c.width, c.height).data;
      };
      const [x, y] = await Promise.all([load(a64), load(b64)]);
      if (x.length !== y.length) return -1;
      let n = 0;
      for (let i = 0; i < x.length; i += 4) {
        const d = Math.abs(x[i] - y[i]) + Math.abs(x[i + 1] - y[i + 1]) + Math.abs(x[i + 2] - y[i + 2]);
        if (d > 30) n++;
      }
      return n;
    },
    [a.toString('base64'), b.toString('base64')] as const,
  );
}

async function mapShot(page: Page): Promise<Buffer> {
  const clip = (await page.getByTestId('map').boundingBox())!;
  return page.screenshot({ clip });
}

// Software GL on a shared 2-core machine is slow: each step gets two minutes.
describe('workstation in headless Chromium', { timeout: 120_000 }, () => {
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
    });
    page = await context.newPage();
    ({ offsite, consoleErrors } = watchPage(page, web.origin));
    await page.goto(web.url);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
  });

  it('loads the built-in DC sample on first start and draws a forecast on the map', async () => {
    const caption = await waitForForecast(page);
    expect(caption).toMatch(/^kde:tau=\d+,sigma=[\d.]+ forecast for 2018-10-02/);
    await expect.poll(() => page.locator('[data-testid=datasets] tbody tr').count()).toBe(1);
    expect(await page.locator('[data-testid=datasets] tbody tr').first().textContent()).toContain(
      'dc-sample',
    );
    await page.locator('[data-testid=map][data-ready="1"]').waitFor();
    await page.waitForTimeout(500);
    const withLayers = await mapShot(page);
    await page.screenshot({ path: join(SHOTS, 'workstation-forecast.png') });
    // Hide the deck.gl canvas: what disappears is what deck.gl drew over the basemap.
    await page.addStyleTag({
      content: '.leaflet-overlay-pane .leaflet-layer { visibility: hidden !important; }',
    });
    const basemapOnly = await mapShot(page);
    await page.addStyleTag({
      content: '.leaflet-overlay-pane .leaflet-layer { visibility: visible !important; }',
    });
    const deckPixels = await differingPixels(page, withLayers, basemapOnly);
    expect(deckPixels).toBeGreaterThan(20_000);
    // Hovering a study cell shows its risk, rank and recent events.
    const map = (await page.getByTestId('map').boundingBox())!;
    let tip = '';
    for (let fy = 0.3; fy <= 0.9 && !tip; fy += 0.1) {
      for (let fx = 0.3; fx <= 0.9 && !tip; fx += 0.1) {
        await page.mouse.move(map.x + map.width * fx, map.y + map.height * fy);
        if (await page.getByTestId('tooltip').isVisible())
          tip = (await page.getByTestId('tooltip').textContent()) ?? '';
      }
    }
    expect(tip).toMatch(
      /Risk [\d.]+ expected events \((< 0\.1|[\d.]+) % chance of one or more\).*Rank \d+ of \d+.*Recent events/s,
    );
    // The chance is the Poisson p(≥ 1) of the expected count shown.
    const [, lambda, pct] = /Risk ([\d.]+) expected events \(([\d.]+) %/.exec(tip) ?? [];
    if (pct) expect(Number(pct)).toBeCloseTo(100 * (1 - Math.exp(-Number(lambda))), 0);
    // Resting on the cell names its places (the built-in DC layers: a district and its service area).
    await expect
      .poll(() => page.getByTestId('tooltip-place').textContent())
      .toMatch(/^Where [1-7]D, PSA [1-7]\d\d/);
    await page.mouse.move(map.x + 2, map.y + map.height - 2);
    // The legend's ends are plain decimals an analyst can read (no exponent), the top one the highest risk.
    const ends = await page.locator('.legend-ends span').allTextContents();
    expect(ends).toHaveLength(2);
    for (const e of ends) expect(e).toMatch(/^(< 0\.001|[\d,]+(\.\d+)?)$/);
    expect(Number(ends[1])).toBeGreaterThan(0);
    // The legend and the top-K list reflect the forecast.
    await page.getByTestId('tab-forecast').click();
    await expect.poll(() => page.locator('[data-testid=top-cells] li').count()).toBe(10);
    await page.screenshot({ path: join(SHOTS, 'forecast-panel.png') });
  });

  it('scrubbing the timeline changes the step, its events and what is drawn', async () => {
    const before = await page.getByTestId('step-label').textContent();
    const shotBefore = await mapShot(page);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
    const after = await page.getByTestId('step-label').textContent();
    expect(after).not.toBe(before);
    expect(after).toMatch(/^2018-09-29/);
    expect(Number(/\((\d+) events\)/.exec(after ?? '')?.[1])).toBeGreaterThan(0);
    await waitForForecast(page);
    await expect
      .poll(() => page.getByTestId('forecast-caption').textContent(), { timeout: 60_000 })
      .toContain('2018-09-29');
    await page.waitForTimeout(400);
    const shotAfter = await mapShot(page);
    expect(await differingPixels(page, shotBefore, shotAfter)).toBeGreaterThan(500);
    await page.screenshot({ path: join(SHOTS, 'workstation-scrubbed.png') });

    // Clicking the scrubber track jumps too.
    const track = page.getByTestId('scrubber');
    const box = (await track.boundingBox())!;
    await track.click({ position: { x: box.width * 0.25, y: box.height / 2 } });
    const jumped = await page.getByTestId('step-label').textContent();
    expect(jumped?.slice(0, 4)).toBe('2015');
  });

  it('switches the risk layer to a heatmap', async () => {
    await page.getByTestId('tab-forecast').click();
    await page.getByTestId('view-heatmap').check();
    await waitForForecast(page);
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(SHOTS, 'workstation-heatmap.png') });
    expect(await page.getByTestId('legend').textContent()).toContain('Risk heatmap');
  });

  it('imports a CSV through the UI, adds the dataset and shows its rejects', async () => {
    await page.getByTestId('tab-data').click();
    const csv = [
      'id,type,datetime,latitude,longitude',
      'a1,Single Gunshot,2017-06-01 22:15:00,38.8651,-76.9912',
      'a2,Multiple Gunshots,2017-06-02 01:40:00,38.8702,-76.9855',
      'a3,Single Gunshot,2017-06-02 23:05:00,38.8611,-76.9921',
      'a4,Single Gunshot,2017-06-03 20:30:00,0,0',
      'a5,Single Gunshot,not a date,38.86,-76.99',
      'a6,Multiple Gunshots,2017-06-04 21:00:00,123.4,-76.99',
      'a7,Single Gunshot,2017-06-05 19:45:00,38.8633,-76.9888',
    ].join('\n');
    await page.getByTestId('file-input').setInputFiles({
      name: 'precinct7.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await expect.poll(() => page.getByTestId('import-name').inputValue()).toBe('precinct7');
    // A generic file has no zone of its own: the preview says so, and the analyst names one.
    await expect
      .poll(() => page.getByTestId('import-preview').textContent())
      .toContain('This format has no zone of its own');
    await page.getByTestId('import-tz').fill('America/New_York');
    await page.getByTestId('import-run').click();
    await page.getByTestId('import-report').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('import-report').textContent()).toMatch(
      /precinct7: 7 rows, 4 imported, 0 duplicates, 3 rejected/,
    );
    await expect.poll(() => page.locator('[data-testid=datasets] tbody tr').count()).toBe(2);
    const rejects = page.getByTestId('rejects');
    await expect.poll(() => rejects.locator('h3').textContent()).toBe('Rejects of precinct7: 3');
    const reasons = await rejects.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(reasons.sort()).toEqual(['bad_date', 'coordinates_out_of_range', 'coordinates_zero']);
    expect(await page.getByTestId('reject-reasons').textContent()).toContain('coordinates_zero: 1');
    await page.screenshot({ path: join(SHOTS, 'data-import-rejects.png') });
  });

  it('runs a walk-forward validation with progress and fills the leaderboard', async () => {
    await page.getByTestId('dataset-select').selectOption('dc-sample');
    await waitForForecast(page);
    await page.getByTestId('tab-validate').click();
    await page.getByTestId('test-from').fill('2018-08-01');
    await page.getByTestId('test-to').fill('2018-09-30');
    await page.getByTestId('validate-run').click();
    // The panel's bar (the app's job strip shows the same job's progress above every tab).
    await page.locator('[data-testid=panel-validate] [data-testid=progress]').waitFor({ timeout: 30_000 });
    const rows = page.locator('[data-testid=leaderboard] tbody tr');
    await rows.first().waitFor({ timeout: 120_000 });
    const names = await rows.locator('td:first-child').allTextContents();
    expect(names).toEqual(
      expect.arrayContaining(['counts-all', 'counts-365d', 'sepp', 'calendar', 'persistence', 'oracle']),
    );
    expect(names.some((n) => n.startsWith('kde'))).toBe(true);
    const hit = (await rows.first().locator('td:nth-child(2)').textContent()) ?? '';
    expect(Number(hit)).toBeGreaterThan(0);
    expect(Number(hit)).toBeLessThanOrEqual(1);
    await page.getByTestId('fold-chart').locator('canvas').first().waitFor();

    // How sure: each model's ten reliability points are the stored run's, and the top tenth is in words.
    const runId = Number(
      /^Run (\d+):/.exec((await page.getByTestId('validate-shown').textContent()) ?? '')?.[1],
    );
    const run = (await rpc(web, 'runs.get', { id: runId })) as {
      value: { models: { name: string; reliability?: { meanP: number; observed: number }[] }[] };
    };
    const chart = page.getByTestId('reliability');
    for (const m of run.value.models) {
      expect(m.reliability, m.name).toHaveLength(10);
      const g = chart.locator(`g[data-model="${m.name}"]`);
      expect(await g.locator('circle').count(), m.name).toBe(10);
      // The points run left to right with the bins' forecast chance.
      const xs = await g.locator('circle').evaluateAll((cs) => cs.map((c) => Number(c.getAttribute('cx'))));
      for (let k = 1; k < xs.length; k++) expect(xs[k], m.name).toBeGreaterThanOrEqual(xs[k - 1]);
      const top = m.reliability!.at(-1)!;
      const words = (await page.getByTestId('reliability-top').textContent()) ?? '';
      // As the panel prints a chance: two decimals under 1 %, one above.
      const pct = (p: number) => `${(100 * p).toFixed(p < 0.01 ? 2 : 1)} %`;
      expect(words).toContain(
        `${m.name}: its most likely tenth of cell-steps, forecast ${pct(top.meanP)}, had a detection ${pct(top.observed)} of the time`,
      );
    }
    await page.screenshot({ path: join(SHOTS, 'validate-leaderboard.png') });
  });

  it('offers training with a preset and its parameters', async () => {
    await page.getByTestId('tab-train').click();
    await expect.poll(() => page.getByTestId('train-run').isEnabled()).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'train-panel.png') });
  });

  it('made no request beyond 127.0.0.1 and logged no console error', () => {
    expect(offsite).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
