/**
 * The analyst's whole workflow through the UI, in headless Chromium against `npm run web` on a fresh
 * database: import a file, validate and find the run among the stored runs, train a ConvLSTM (and,
 * while it trains, switch tabs and list datasets: the same job's progress and Cancel follow, and the
 * answers come back before training ends), then see the new model named on the map and in the Forecast
 * panel with the same forecast as `shotcast forecast --model <id>`, brief from it with its track record,
 * cancel a training (it says cancelled), delete the model after a confirmation, and resume a cancelled
 * training from the job list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
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
const SAMPLE = join(REPO_ROOT, 'resources/data/dc_mpd_2014-2018_normalized.csv');
const DATASET = 'dc-workflow';
const PDF_VIEWER = 'mhjfbmdgcfjbbpaeojofohoefgiehjai';
const TABS = ['data', 'validate', 'forecast', 'models', 'briefing', 'train'] as const;

/** Times one backend call made from the page, the way the UI makes it (token header, JSON body). */
async function timedCall(page: Page, channel: string): Promise<{ ms: number; ok: boolean; value: unknown }> {
  return page.evaluate(async (ch) => {
    const g = globalThis as unknown as {
      document: { querySelector(s: string): { getAttribute(a: string): string | null } | null };
      fetch(u: string, o: unknown): Promise<{ json(): Promise<{ ok: boolean; value: unknown }> }>;
      performance: { now(): number };
    };
    const token = g.document.querySelector('meta[name="shotcast-token"]')?.getAttribute('content') ?? '';
    const t0 = g.performance.now();
    const res = await g.fetch(`api/${ch}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Shotcast-Token': token },
      body: '{}',
    });
    const body = await res.json();
    return { ms: g.performance.now() - t0, ok: body.ok, value: body.value };
  }, channel);
}

describe('the analyst’s workflow in headless Chromium', { timeout: 300_000 }, () => {
  let web: WebServer;
  let browser: Browser;
  let page: Page;
  let offsite: string[] = [];
  let consoleErrors: string[] = [];
  let modelId = 0;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    web = await startWeb();
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: 1400, height: 900 },
      serviceWorkers: 'block',
    });
    page = await context.newPage();
    // Chromium's own PDF viewer (a built-in extension and its chrome:// resources) draws the briefing preview.
    ({ offsite, consoleErrors } = watchPage(
      page,
      web.origin,
      (u) => u.startsWith(`chrome-extension://${PDF_VIEWER}/`) || u.startsWith('chrome://resources/'),
    ));
    await page.goto(web.url);
    await waitForForecast(page);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
  });

  it('imports the DC sample through the file input; the job is announced when it ends', async () => {
    await page.getByTestId('tab-data').click();
    await page.getByTestId('file-input').setInputFiles(SAMPLE);
    await page.getByTestId('import-name').fill(DATASET);
    await page.getByTestId('import-run').click();
    await page.getByTestId('import-report').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('import-report').textContent()).toMatch(
      new RegExp(`^${DATASET}: \\d+ rows`),
    );
    await expect.poll(() => page.getByTestId('dataset-select').inputValue()).toBe(DATASET);
    const notice = page.locator('[data-testid=job-notice][data-state=done]', { hasText: `as ${DATASET}` });
    await notice.waitFor({ timeout: 30_000 });
    expect(await notice.textContent()).toMatch(/Finished: import .* as dc-workflow\. \d+ events imported\./);
    await waitForForecast(page);
  });

  it('runs a short validation, lists it among the stored runs and reopens it', async () => {
    await page.getByTestId('tab-validate').click();
    await expect.poll(() => page.getByTestId('stored-runs').count()).toBe(0);
    await page.getByTestId('test-from').fill('2018-09-01');
    await page.getByTestId('test-to').fill('2018-09-30');
    await page.getByTestId('validate-run').click();
    // Listed in the app's job strip while it runs.
    await page.locator('[data-testid=job-running][data-job-kind=evaluate]').waitFor({ timeout: 30_000 });
    await page.getByTestId('leaderboard').waitFor({ timeout: 180_000 });
    const shown = (await page.getByTestId('validate-shown').textContent()) ?? '';
    const runId = Number(/^Run (\d+):/.exec(shown)?.[1]);
    expect(runId).toBeGreaterThan(0);
    const row = page.locator(`[data-testid=stored-runs] tr[data-run-id="${runId}"]`);
    await row.waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toContain('2018-09-01 .. 2018-09-30');
    // Reopened from the list after the view moved on: the same run's leaderboard comes back.
    const firstRow = await page.locator('[data-testid=leaderboard] tbody tr').first().textContent();
    await page.getByTestId('tab-data').click();
    await page.getByTestId('tab-validate').click();
    await page.getByTestId(`open-run-${runId}`).click();
    await expect.poll(() => page.getByTestId('validate-shown').textContent()).toContain(`Run ${runId}:`);
    expect(await page.locator('[data-testid=leaderboard] tbody tr').first().textContent()).toBe(firstRow);
    await page.screenshot({ path: join(SHOTS, 'workflow-validate-runs.png') });
  });

  it('trains a ConvLSTM: every tab shows the same job with its progress and Cancel, and answers while it trains', async () => {
    await page.getByTestId('tab-train').click();
    await page.getByTestId('train-epochs').fill('2');
    await page.getByTestId('train-max-seconds').fill('25');
    await page.getByTestId('train-to').fill('2018-06-01');
    await page.getByTestId('train-val-to').fill('2018-07-01');
    await page.getByTestId('train-run').click();
    const running = page.getByTestId('train-running');
    await running.waitFor({ timeout: 30_000 });
    const jobId = (await running.getAttribute('data-job-id')) ?? '';
    expect(jobId).toMatch(/^train-/);
    expect(await page.getByTestId('train-run').isDisabled()).toBe(true);
    const inStrip = page.locator(`[data-testid=job-running][data-job-id="${jobId}"]`);

    // The ETA is an upper bound within the 25 s cap once the network steps.
    await expect
      .poll(() => inStrip.locator('[data-testid=progress]').textContent(), { timeout: 120_000 })
      .toMatch(/ETA at most/);
    const eta = ((await inStrip.locator('[data-testid=progress]').textContent()) ?? '').match(
      /ETA at most (?:(\d+)m)?(\d+)s/,
    );
    expect(Number(eta?.[1] ?? 0) * 60 + Number(eta?.[2])).toBeLessThanOrEqual(25);

    const answers: number[] = [];
    for (const tab of TABS) {
      await page.getByTestId(`tab-${tab}`).click();
      // Each tab shows the same job, with Cancel, in the app's job strip.
      await inStrip.waitFor({ timeout: 10_000 });
      expect(await inStrip.getByTestId('job-cancel').isEnabled()).toBe(true);
      const t = await timedCall(page, 'datasets.list');
      expect(t.ok).toBe(true);
      expect((t.value as { name: string }[]).map((d) => d.name)).toContain(DATASET);
      answers.push(t.ms);
      if (tab === 'validate') await page.getByTestId('stored-runs').waitFor({ timeout: 10_000 });
      if (tab === 'models') await page.getByTestId('registry-empty').waitFor({ timeout: 10_000 });
    }
    // Back on the Train tab: the same job, its progress and Cancel; the button stays disabled.
    expect(await running.getAttribute('data-job-id')).toBe(jobId);
    expect(await page.getByTestId('train-cancel').isVisible()).toBe(true);
    expect(await page.locator('[data-testid=panel-train] [data-testid=progress]').isVisible()).toBe(true);
    expect(await page.getByTestId('train-run').isDisabled()).toBe(true);
    // The form still shows the settings the job runs with.
    expect(await page.getByTestId('train-epochs').inputValue()).toBe('2');
    expect(await page.getByTestId('train-val-to').inputValue()).toBe('2018-07-01');
    // All those answers arrived while the network was still training.
    const list = await timedCall(page, 'jobs.list');
    expect((list.value as { id: string; state: string }[]).find((j) => j.id === jobId)?.state).toBe(
      'running',
    );
    expect(Math.max(...answers)).toBeLessThan(1500);
    await page.screenshot({ path: join(SHOTS, 'workflow-training.png') });

    await page.getByTestId('train-result').waitFor({ timeout: 240_000 });
    const words = (await page.getByTestId('train-result').textContent()) ?? '';
    modelId = Number(/^Model (\d+):/.exec(words)?.[1]);
    expect(modelId).toBeGreaterThan(0);
    expect(words).toMatch(
      /the network (did not improve|improved) on its starting point \(the calendar baseline\)/,
    );
    expect(words).toMatch(/It (stopped at the time limit|ran all 2 epochs|stopped early)/);
    const done = page.locator(`[data-testid=job-notice][data-state=done]`, { hasText: 'Finished: train' });
    await expect
      .poll(() => done.textContent(), { timeout: 10_000 })
      .toContain(`Model ${modelId} is registered.`);
    await page.screenshot({ path: join(SHOTS, 'workflow-trained.png') });
  });

  it('the map header and the Forecast panel name the new model; its forecast is the CLI’s to 1e-6', async () => {
    await page.getByTestId('train-use-model').click();
    await page.getByTestId('train-model-used').waitFor();
    const label = `model ${modelId} (convlstm, default)`;
    await expect
      .poll(() => page.getByTestId('forecast-caption').textContent(), { timeout: 60_000 })
      .toContain(`${label} forecast for`);
    await page.getByTestId('tab-forecast').click();
    await expect.poll(() => page.getByTestId('forecast-model-used').textContent()).toContain(label);
    expect(await page.getByTestId('forecast-model').inputValue()).toBe(`model:${modelId}`);
    const at = await page.getByTestId('forecast-date').inputValue();
    const cells = page.locator('[data-testid=top-cells] li');
    await expect.poll(() => cells.count()).toBe(10);
    // The places come in their own call, after the list: wait until every item names its district.
    await expect.poll(() => page.getByTestId('top-cells').textContent()).toMatch(/(\dD, PSA \d{3}.*){10}/s);
    const shown = await cells.evaluateAll((els) =>
      els.map((e) => ({
        cell: Number(e.getAttribute('data-cell')),
        risk: Number(e.getAttribute('data-risk')),
        text: e.textContent ?? '',
      })),
    );
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        'bin/shotcast.js',
        'forecast',
        '--db',
        web.dbPath,
        '--dataset',
        DATASET,
        '--model',
        String(modelId),
        '--at',
        at,
        '--top',
        '10',
        '--json',
      ],
      { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 },
    );
    const cli = JSON.parse(stdout) as {
      top: { cell: number; risk: number; place: { district: string; psa: string; neighbourhood: string } }[];
    };
    expect(shown.map((c) => c.cell)).toEqual(cli.top.map((c) => c.cell));
    shown.forEach((c, i) => expect(Math.abs(c.risk - cli.top[i].risk)).toBeLessThan(1e-6));
    // Both doors name each cell's places alike.
    shown.forEach((c, i) => {
      const p = cli.top[i].place;
      expect(c.text).toContain(`${p.district}, PSA ${p.psa}`);
      if (p.neighbourhood !== '—') expect(c.text).toContain(p.neighbourhood);
    });
    await page.screenshot({ path: join(SHOTS, 'workflow-forecast-model.png') });
  });

  it('the briefing preview names the model and states its track record', async () => {
    await page.getByTestId('tab-briefing').click();
    await page.getByTestId('briefing-preview').click();
    await page.getByTestId('briefing-summary').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('briefing-summary').textContent()).toContain(
      `model ${modelId} (convlstm, default)`,
    );
    const skill = (await page.getByTestId('briefing-skill').textContent()) ?? '';
    expect(skill).toMatch(/held \d+(\.\d)? % of next-day gunfire \(PAI [\d.]+\)/);
    expect(skill).toContain('counts-365d');
    await page.screenshot({ path: join(SHOTS, 'workflow-briefing.png') });
  });

  it('fine-tunes the model on the data since its cut-off from the Models panel, as shotcast update does', async () => {
    await page.getByTestId('tab-models').click();
    await page.getByTestId('finetune-run').click();
    // A job of its own on every tab, while the network learns in its worker.
    await page.locator('[data-testid=job-running][data-job-kind=finetune]').waitFor({ timeout: 30_000 });
    const result = page.getByTestId('finetune-result');
    await result.waitFor({ timeout: 240_000 });
    const text = (await result.textContent()) ?? '';
    // Data before 2018-07-01 then; the sample runs to 2018-10-01: 93 new days, the newest 28 held out.
    const m = new RegExp(
      `^Model (\\d+) is registered, fine-tuned from model ${modelId} on 93 new steps, data before 2018-10-02\\. ` +
        'On the newest 28 steps, held out: HR@5 % [\\d.]+ before, [\\d.]+ after\\.',
    ).exec(text);
    expect(m, text).not.toBeNull();
    const child = Number(m![1]);
    const row = page.locator(`[data-testid=registry] tr[data-model-id="${child}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain(`data before 2018-10-02, fine-tuned from model ${modelId}`);
    // The map used the parent: it moves to the new version.
    await expect
      .poll(() => page.getByTestId('forecast-caption').textContent(), { timeout: 60_000 })
      .toContain(`model ${child} (convlstm, default)`);
    await page.screenshot({ path: join(SHOTS, 'workflow-finetuned.png') });
    // Deleted again, the registry is as it was: the map falls back to the newest, the parent.
    await page.getByTestId(`delete-model-${child}`).click();
    await page.getByTestId(`confirm-delete-yes-${child}`).click();
    await expect.poll(() => row.count()).toBe(0);
    await expect
      .poll(() => page.getByTestId('forecast-caption').textContent(), { timeout: 60_000 })
      .toContain(`model ${modelId} (convlstm, default)`);
  });

  it('a training cancelled from another tab says cancelled, not an error; it ran on the map’s step', async () => {
    // The map steps by week: Train and Validate follow it, and the job runs on weekly steps.
    await page.getByTestId('tab-forecast').click();
    await page.getByTestId('forecast-step').selectOption('week');
    await page.getByTestId('tab-validate').click();
    expect(await page.getByTestId('validate-step').textContent()).toContain('week');
    await page.getByTestId('tab-train').click();
    expect(await page.getByTestId('train-grid').textContent()).toContain('week steps');
    await page.getByTestId('train-max-seconds').fill('300');
    await page.getByTestId('train-run').click();
    await page.getByTestId('train-running').waitFor({ timeout: 30_000 });
    const jobs = (await timedCall(page, 'jobs.list')).value as {
      state: string;
      train?: { step: string; grid: { rows: number; cols: number } };
    }[];
    const training = jobs.find((j) => j.state === 'running' && j.train);
    expect(training?.train?.step).toBe('week');
    expect(training?.train?.grid).toEqual({ rows: 36, cols: 36 });
    await page.getByTestId('tab-forecast').click();
    await page.locator('[data-testid=job-running][data-job-kind=train] [data-testid=job-cancel]').click();
    const notice = page.locator('[data-testid=job-notice][data-state=cancelled]', {
      hasText: 'Cancelled: train',
    });
    await notice.waitFor({ timeout: 120_000 });
    await page.getByTestId('tab-train').click();
    await page.getByTestId('train-cancelled').waitFor();
    expect(await page.locator('[data-testid=panel-train] .error').count()).toBe(0);
    // The job list drops the ended job on its next refresh; then Train is offered again.
    await expect.poll(() => page.locator('[data-testid=job-running]').count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('train-run').isEnabled(), { timeout: 15_000 }).toBe(true);
    await page.getByTestId('tab-forecast').click();
    await page.getByTestId('forecast-step').selectOption('day');
  });

  it('the registry shows the model and deletes it, with its ONNX file, after a confirmation', async () => {
    await page.getByTestId('tab-models').click();
    const row = page.locator(`[data-testid=registry] tr[data-model-id="${modelId}"]`);
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('grid 36 × 36, day steps, data before 2018-07-01');
    expect(text).toMatch(/validation deviance [\d.]+ .*HR@5 % [\d.]+/);
    const onnx = (await row.locator('.file').textContent()) ?? '';
    expect(onnx).toMatch(/\.onnx$/);
    expect(existsSync(onnx)).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'workflow-registry.png') });
    await page.getByTestId(`delete-model-${modelId}`).click();
    await page.getByTestId(`confirm-delete-${modelId}`).waitFor();
    expect(existsSync(onnx)).toBe(true);
    await page.getByTestId(`confirm-delete-yes-${modelId}`).click();
    await page.getByTestId('registry-empty').waitFor();
    expect(existsSync(onnx)).toBe(false);
    // The map falls back to a classical model, and says so.
    await expect
      .poll(() => page.getByTestId('forecast-caption').textContent(), { timeout: 60_000 })
      .toMatch(/^kde/);
  });

  it('a training cancelled after an epoch resumes from the job list and says from which epoch', async () => {
    const registered = page.locator('[data-testid=registry] tr[data-model-id]');
    await page.getByTestId('tab-models').click();
    await page
      .locator('[data-testid=registry] tr[data-model-id], [data-testid=registry-empty]')
      .first()
      .waitFor();
    const before = await registered.count();
    await page.getByTestId('tab-train').click();
    await page.getByTestId('train-epochs').fill('4');
    await page.getByTestId('train-max-seconds').fill('300');
    await page.getByTestId('train-run').click();
    const strip = page.locator('[data-testid=job-running][data-job-kind=train]');
    await strip.waitFor({ timeout: 30_000 });
    const jobId = (await strip.getAttribute('data-job-id')) ?? '';
    // In its second epoch, the first is saved: cancelled from another tab, as the analyst would.
    await strip.locator('[data-testid=progress]', { hasText: 'epoch 2' }).waitFor({ timeout: 120_000 });
    await page.getByTestId('tab-data').click();
    await strip.getByTestId('job-cancel').click();
    const cancelled = page.locator(`[data-testid=job-notice][data-state=cancelled][data-job-id="${jobId}"]`);
    await cancelled.waitFor({ timeout: 120_000 });
    await cancelled.getByTestId('job-resume').click();
    // The same training continues under a new job, listed on every tab, and ends with one model.
    await page
      .locator('[data-testid=job-running][data-job-kind=train]', { hasText: 'resume training' })
      .waitFor({ timeout: 30_000 });
    expect(await cancelled.count()).toBe(0);
    const done = page.locator('[data-testid=job-notice][data-state=done]', { hasText: 'Resumed from epoch' });
    await done.waitFor({ timeout: 240_000 });
    const from = Number(/Resumed from epoch (\d+)/.exec((await done.textContent()) ?? '')?.[1]);
    expect(from).toBeGreaterThanOrEqual(1);
    expect(from).toBeLessThan(4);
    await page.getByTestId('tab-train').click();
    expect(await page.getByTestId('train-result').textContent()).toContain(
      `It resumed the interrupted run from epoch ${from}.`,
    );
    // One model more: the resumed run's, not one per attempt.
    await page.getByTestId('tab-models').click();
    await expect.poll(() => registered.count()).toBe(before + 1);
  });

  it('made no request beyond 127.0.0.1 and logged no console error', () => {
    expect(offsite).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
