/**
 * A long, fine dataset in a real browser: five years of generated detections (250,000 over 2014–2018
 * in a DC-sized box) viewed by the hour, 43,800 steps. The app loads the timeline (a count per step)
 * and only the windows of events it shows, so the map loads, scrubs and draws each hour's events while
 * the renderer's JS heap stays under 300 MB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, CDPSession, Page } from 'playwright-core';
import {
  launchChromium,
  REPO_ROOT,
  startWeb,
  waitForForecast,
  watchPage,
  type WebServer,
} from './harness.ts';

const SHOTS = join(REPO_ROOT, 'test-results', 'screenshots');
const EVENTS = 250_000;
const HEAP_LIMIT = 300 * 1024 * 1024;

/** A generic CSV of `n` detections over 2014–2018 around 40 hot spots in a DC-sized box (seeded). */
function cityCsv(n: number): string {
  let seed = 19;
  const rnd = () => {
    seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0;
    return seed / 4_294_967_296;
  };
  const from = Date.UTC(2014, 0, 1, 5);
  const to = Date.UTC(2019, 0, 1, 5);
  const spots = Array.from({ length: 40 }, () => [38.82 + rnd() * 0.15, -77.09 + rnd() * 0.17]);
  const times = Float64Array.from({ length: n }, () => from + rnd() * (to - from)).sort();
  const lines = ['id,type,datetime,latitude,longitude'];
  for (let i = 0; i < n; i++) {
    const [lat, lon] = spots[Math.floor(rnd() * spots.length)];
    // Wall-clock times in the city's zone, near enough (EST all year; the file is read in New York's zone).
    const local = new Date(times[i] - 5 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    const type = rnd() < 0.8 ? 'Single Gunshot' : 'Multiple Gunshots';
    lines.push(
      `g${i},${type},${local},${(lat + (rnd() - 0.5) * 0.02).toFixed(5)},${(lon + (rnd() - 0.5) * 0.02).toFixed(5)}`,
    );
  }
  return lines.join('\n') + '\n';
}

const labelOf = (page: Page) => page.getByTestId('step-label').textContent();
const countOf = (label: string | null) => Number(/\((\d+) events\)/.exec(label ?? '')?.[1] ?? NaN);

describe('a five-year hourly dataset in headless Chromium', { timeout: 240_000 }, () => {
  let dir: string;
  let web: WebServer;
  let browser: Browser;
  let page: Page;
  let cdp: CDPSession;
  let consoleErrors: string[] = [];
  const heap: number[] = [];
  /** Bytes of each events.load and events.range reply the page received. */
  const replies: { channel: string; bytes: number }[] = [];
  const sampleHeap = async () => {
    const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    heap.push(usedSize);
    return usedSize;
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'shotcast-scale-'));
    const csv = join(dir, 'city5y.csv');
    writeFileSync(csv, cityCsv(EVENTS));
    const db = join(dir, 'scale.db');
    const imported = spawnSync(
      process.execPath,
      [
        'bin/shotcast.js',
        'import',
        csv,
        '--db',
        db,
        '--dataset',
        'city5y',
        '--city',
        'Generated',
        '--tz',
        'America/New_York',
      ],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stdout).toContain(`${EVENTS.toLocaleString('en-US')} imported`);
    web = await startWeb({ db });
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: 1400, height: 900 },
      serviceWorkers: 'block',
    });
    page = await context.newPage();
    ({ consoleErrors } = watchPage(page, web.origin));
    page.on('response', (r) => {
      const channel = /\/api\/(events\.\w+)/.exec(r.url())?.[1];
      if (channel) void r.body().then((b) => replies.push({ channel, bytes: b.length }));
    });
    cdp = await context.newCDPSession(page);
    await page.goto(web.url);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('opens on the day after the data, then views it by the hour', async () => {
    const caption = await waitForForecast(page);
    expect(caption).toContain('forecast for 2019-01-01');
    await page.locator('[data-testid=map][data-ready="1"]').waitFor();
    await page.getByTestId('tab-forecast').click();
    await page.getByTestId('forecast-step').selectOption('hour');
    await page.locator('[data-testid=timeline][data-unit=hour]').waitFor({ timeout: 60_000 });
    // The same instant, now an hour: the one after the last event, and its forecast an hour long.
    expect(await labelOf(page)).toMatch(/^2019-01-01 Tue 00:00–01:00 \(0 events\)/);
    await expect
      .poll(() => page.getByTestId('forecast-model-used').textContent(), { timeout: 90_000 })
      .toContain('for 2019-01-01 Tue 00:00–01:00');
    expect(await sampleHeap()).toBeLessThan(HEAP_LIMIT);
  });

  it('scrubs hour by hour, drawing each hour’s events, with the heap under 300 MB', async () => {
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    const labels = new Set<string>();
    let withEvents = 0;
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('ArrowLeft');
      const label = (await labelOf(page)) ?? '';
      labels.add(label);
      if (countOf(label) > 0) withEvents++;
      if (i % 5 === 4) await sampleHeap();
    }
    expect(labels.size).toBe(30);
    expect([...labels].filter((l) => !/^2018-12-3\d (Sun|Mon) (\d\d):00–(\d\d):00 \(/.test(l))).toEqual([]);
    expect(withEvents).toBeGreaterThan(20);
    // The map draws the hour's events once their window has arrived.
    const label = await labelOf(page);
    await expect
      .poll(() => page.getByTestId('map').getAttribute('data-step-events'), { timeout: 30_000 })
      .toBe(String(countOf(label)));
    await waitForForecast(page);
    await expect
      .poll(() => page.getByTestId('forecast-caption').textContent(), { timeout: 90_000 })
      .toContain((label ?? '').slice(0, 16));
    await page.screenshot({ path: join(SHOTS, 'scale-hourly.png') });
    expect(Math.max(...heap)).toBeLessThan(HEAP_LIMIT);
  });

  it('jumps across the years and scrubs there too', async () => {
    const track = page.getByTestId('scrubber');
    const box = (await track.boundingBox())!;
    for (const [fx, year] of [
      [0.1, '2014'],
      [0.5, '2016'],
      [0.9, '2018'],
    ] as const) {
      await track.click({ position: { x: box.width * fx, y: box.height / 2 } });
      const jumped = await labelOf(page);
      expect(jumped?.slice(0, 4)).toBe(year);
      await page.locator('body').click({ position: { x: 5, y: 5 } });
      // Shift+arrow jumps a day of hours.
      for (let i = 0; i < 5; i++) await page.keyboard.press('Shift+ArrowRight');
      for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
      const label = await labelOf(page);
      expect(label).not.toBe(jumped);
      await expect
        .poll(() => page.getByTestId('map').getAttribute('data-step-events'), { timeout: 30_000 })
        .toBe(String(countOf(label)));
      await sampleHeap();
    }
    await waitForForecast(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const settled = await sampleHeap();
    const peak = Math.max(...heap);
    console.log(
      `renderer JS heap: peak ${(peak / 2 ** 20).toFixed(1)} MB over ${heap.length} samples, ` +
        `${(settled / 2 ** 20).toFixed(1)} MB after GC`,
    );
    expect(peak).toBeLessThan(HEAP_LIMIT);
  });

  it('received the timeline and the windows it showed, never the whole history', () => {
    // The whole dataset as columns was 11 MB of JSON; a window of 256 hours is ~0.1 MB, of 20,000
    // events (the most a window holds) ~0.8 MB.
    const total = replies.reduce((a, r) => a + r.bytes, 0);
    const largest = Math.max(...replies.map((r) => r.bytes));
    console.log(
      `events replies: ${replies.length}, ${(total / 1e6).toFixed(2)} MB in all, largest ${(largest / 1e6).toFixed(2)} MB`,
    );
    expect(replies.filter((r) => r.channel === 'events.load').length).toBe(2);
    expect(replies.some((r) => r.channel === 'events.range')).toBe(true);
    expect(largest).toBeLessThan(1_500_000);
    expect(total).toBeLessThan(5_000_000);
  });

  it('logged no console error', () => {
    expect(consoleErrors).toEqual([]);
  });
});
