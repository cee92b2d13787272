/**
 * Any city, for real (issue 17), in a real browser: Oakland imported with the form at its defaults lands
 * in its own zone; with no map it says how to add one; its own layers draw on the map and name the
 * briefing's areas, with nothing of DC left; a broken file's error names the file, not a temp path; a
 * deleted dataset is gone everywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { oaklandBeats } from '../../src/main/layers/testing.ts';
import { TEST_DATA } from '../paths.ts';
import {
  launchChromium,
  rpc,
  REPO_ROOT,
  startWeb,
  waitForForecast,
  watchPage,
  type WebServer,
} from './harness.ts';

const SHOTS = join(REPO_ROOT, 'test-results', 'screenshots');

/** Oakland's outline, roughly: one polygon around its events. */
function oaklandBoundary(): string {
  const ring = [
    [-122.34, 37.72],
    [-122.13, 37.72],
    [-122.13, 37.86],
    [-122.34, 37.86],
    [-122.34, 37.72],
  ];
  return JSON.stringify({
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        properties: { NAME: 'Oakland' },
        geometry: { type: 'Polygon', coordinates: [ring] },
      },
    ],
  });
}

describe('any city in headless Chromium', { timeout: 180_000 }, () => {
  let web: WebServer;
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    web = await startWeb();
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    ({ consoleErrors } = watchPage(page, web.origin));
    await page.goto(web.url);
    await waitForForecast(page);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
  });

  it('a broken file is refused in the app’s words: the file’s own name, no temp path, no CLI flag', async () => {
    await page.getByTestId('tab-data').click();
    await page.getByTestId('file-input').setInputFiles({
      name: 'garbage.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('when,where\nyesterday,somewhere\n'),
    });
    await page.getByTestId('import-preview').waitFor();
    expect(await page.getByTestId('import-preview').textContent()).toContain('map the columns');
    await page.getByTestId('import-run').click();
    const error = page.getByTestId('import-error');
    await error.waitFor({ timeout: 60_000 });
    const text = (await error.textContent()) ?? '';
    expect(text).toContain('garbage.csv');
    expect(text).not.toMatch(/\/tmp\/|shotcast-upload|shotcast-import|--format|--map/);
    expect(text).toMatch(/the Format field|the column mapping/);
    // The app's job strip announces the failure in the same words.
    const failed = page.locator('[data-testid=job-notice][data-state=failed]', { hasText: 'garbage.csv' });
    await failed.waitFor({ timeout: 30_000 });
    expect(await failed.textContent()).not.toMatch(/\/tmp\/|shotcast-upload|--format|--map/);
  });

  it('Oakland imported with the form at its defaults is stored in America/Los_Angeles, and asks for a map', async () => {
    await page.getByTestId('file-input').setInputFiles({
      name: 'OakShots_latlong.csv.gz',
      mimeType: 'application/gzip',
      buffer: readFileSync(join(TEST_DATA, 'oakland/OakShots_latlong.csv.gz')),
    });
    await expect
      .poll(() =>
        page
          .getByTestId('preview-tz')
          .textContent()
          .catch(() => ''),
      )
      .toBe('America/Los_Angeles');
    expect(await page.getByTestId('preview-format').textContent()).toBe('oakland-cad');
    expect(await page.getByTestId('import-city').inputValue()).toBe('');
    expect(await page.getByTestId('import-tz').inputValue()).toBe('');
    await page.getByTestId('import-run').click();
    await page.getByTestId('import-report').waitFor({ timeout: 90_000 });
    expect(await page.getByTestId('import-report').textContent()).toMatch(/OakShots_latlong: 17185 rows/);
    await expect
      .poll(() => page.getByTestId('dataset-zone-OakShots_latlong').textContent())
      .toBe('Oakland, America/Los_Angeles');
    const list = (await rpc(web, 'datasets.list', {})) as {
      ok: boolean;
      value: { name: string; tz: string }[];
    };
    expect(list.value.find((d) => d.name === 'OakShots_latlong')?.tz).toBe('America/Los_Angeles');

    // Oakland's own holiday (July 1st, every year), set on the dataset's row: a typo is caught in the
    // field, a date the calendar does not have by the backend, in words; the briefing below names it.
    await page.getByTestId('dataset-holidays-edit-OakShots_latlong').click();
    await page.getByTestId('dataset-holidays-input').fill('July 1');
    expect(await page.getByTestId('dataset-edit-confirm').isDisabled()).toBe(true);
    await page.getByTestId('dataset-holidays-input').fill('07-01, 2013-02-30');
    await page.getByTestId('dataset-edit-confirm').click();
    await expect
      .poll(() => page.locator('[role=alert]').first().textContent())
      .toContain("holiday '2013-02-30' must be a date YYYY-MM-DD or a yearly MM-DD");
    await page.getByTestId('dataset-holidays-input').fill('07-01');
    await page.getByTestId('dataset-edit-confirm').click();
    await expect
      .poll(() => page.getByTestId('dataset-edit-done').textContent())
      .toBe("OakShots_latlong's own holidays: 07-01 (was none).");
    await expect
      .poll(() => page.getByTestId('dataset-holidays-OakShots_latlong').textContent())
      .toBe('07-01');
    const withHolidays = (await rpc(web, 'datasets.list', {})) as {
      value: { name: string; holidays: string[] }[];
    };
    expect(withHolidays.value.find((d) => d.name === 'OakShots_latlong')?.holidays).toEqual(['07-01']);
    // No layers and no MBTiles: a plain grid with a scale bar, and a prompt saying how to add a map.
    await page.getByTestId('add-map-prompt').waitFor();
    expect(await page.getByTestId('add-map-prompt').textContent()).toMatch(/import the agency's layers/);
    expect(await page.locator('.leaflet-control-scale').count()).toBe(1);
    expect(await page.locator('.leaflet-control-attribution').textContent()).not.toContain(
      'District of Columbia',
    );
    await page.screenshot({ path: join(SHOTS, 'city-no-map.png') });
  });

  it('Oakland’s own layers draw on the map, with nothing of DC, and name the briefing’s areas', async () => {
    const before = await page.getByTestId('map').screenshot();
    for (const [kind, name, text] of [
      ['boundary', 'oakland-boundary.geojson', oaklandBoundary()],
      ['districts', 'oakland-beats.geojson', oaklandBeats()],
    ] as const) {
      await page.getByTestId('layer-kind').selectOption(kind);
      await page
        .getByTestId('layer-file')
        .setInputFiles({ name, mimeType: 'application/geo+json', buffer: Buffer.from(text) });
      await page.getByTestId('layer-import').click();
      await expect.poll(() => page.getByTestId('layer-message').textContent()).toContain(name);
    }
    await expect
      .poll(() => page.getByTestId('layers-table').textContent(), { timeout: 15_000 })
      .toContain('BEAT');
    await expect.poll(() => page.getByTestId('add-map-prompt').count()).toBe(0);
    // The layer control lists only Oakland's layers; the credit is Oakland's files, not DC Open Data.
    // The map draws them once it has reloaded the dataset's layers.
    const overlays = page.locator('.leaflet-control-layers-overlays');
    await expect
      .poll(() => overlays.textContent(), { timeout: 30_000 })
      .toContain('Police districts or beats');
    const control = await overlays.textContent();
    expect(control).toContain('City boundary');
    expect(control).not.toMatch(/Interstates|Parks|Water|Police service areas/);
    const credit = (await page.locator('.leaflet-control-attribution').textContent()) ?? '';
    expect(credit).toContain('oakland-beats.geojson');
    expect(credit).not.toContain('District of Columbia');
    await page.waitForTimeout(800);
    const after = await page.getByTestId('map').screenshot();
    expect(after.equals(before)).toBe(false);
    // The Data panel fits its column: a long dataset name or reject reason wraps instead of pushing the
    // datasets table's buttons out of sight.
    const panel = page.locator('.panel');
    expect(await panel.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SHOTS, 'city-own-layers.png') });

    // The briefing names its patrol areas by the imported beats.
    await page.getByTestId('tab-briefing').click();
    await page.getByTestId('briefing-date').fill('2013-07-01');
    await page.getByTestId('briefing-preview').click();
    await page.getByTestId('briefing-result').waitFor({ timeout: 120_000 });
    // July 1st is Oakland's own holiday (set above): the volume line names it.
    expect(await page.getByTestId('briefing-volume').textContent()).toMatch(
      /; one of the dataset's holidays\)\. Suggested units/,
    );
    const rows = await page.getByTestId('briefing-area-row').allTextContents();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => /Beat [1-4][XY]/.test(r))).toBe(true);
    expect(rows.join(' ')).not.toMatch(/\b\dD\b/);
    // So do the Forecast panel's top cells and patrol areas.
    await page.getByTestId('tab-forecast').click();
    await expect
      .poll(() => page.getByTestId('top-cells').textContent(), { timeout: 60_000 })
      .toMatch(/Beat [1-4][XY]/);
    expect(await page.getByTestId('deployment').textContent()).toMatch(
      /unit 1 · [\d.]+ % · \d cells? · Beat [1-4][XY]/,
    );
  });

  it('deleting a dataset removes it everywhere', async () => {
    await page.getByTestId('tab-data').click();
    await page.getByTestId('dataset-delete-OakShots_latlong').click();
    expect(await page.getByTestId('dataset-delete-warning').textContent()).toMatch(/17173 events/);
    await page.getByTestId('dataset-edit-confirm').click();
    await expect
      .poll(() =>
        page
          .getByTestId('dataset-edit-done')
          .textContent()
          .catch(() => ''),
      )
      .toContain('Deleted OakShots_latlong');
    await expect.poll(() => page.locator('[data-testid=datasets] tbody tr').count()).toBe(1);
    const options = await page.getByTestId('dataset-select').locator('option').allTextContents();
    expect(options.join(' ')).not.toContain('OakShots_latlong');
    const list = (await rpc(web, 'datasets.list', {})) as { value: { name: string }[] };
    expect(list.value.map((d) => d.name)).toEqual(['dc-sample']);
    const layers = (await rpc(web, 'layers.info', { dataset: 'OakShots_latlong' })) as {
      ok: boolean;
      error?: string;
    };
    expect(layers.ok).toBe(false);
    expect(consoleErrors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });
});
