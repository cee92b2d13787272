/**
 * `npm run bench:ui`: scrub 365 daily steps of the DC sample (~31k events) in headless Chromium with
 * software GL (SwiftShader), and report, per scrub step, the time from the input event to the frame
 * that shows the new step being presented: Chrome's own EventLatency measurement, read from a trace.
 * Each key press waits until the previous step's frame is out, so every sample is one step on its own.
 *
 * Also reported, from the same presses: the time to the end of deck.gl's draw call (`draw*`), which
 * leaves out rasterisation and compositing, and the same measurement on an empty page (`floor`): what
 * this browser needs to present any frame at all, however little changes; and on a page with one
 * full-window WebGL canvas redrawn at each key (`glFloor`): what presenting a WebGL frame of the map's
 * size costs, before any layer.
 * Targets (default view): median ≤ 16 ms, p95 ≤ 33 ms.
 */
import type { Browser, Page } from 'playwright-core';
import { launchChromium, startWeb, waitForForecast } from '../test/e2e/harness.ts';
import { summarise } from './stats.ts';

const STEPS = Number(process.env.SHOTCAST_BENCH_STEPS ?? 365);
/** After a step's draw, two animation frames and this long let its frame reach the screen. */
const SETTLE_MS = 60;

interface PerfWindow {
  __shotcastPerf?: { enabled: boolean; pending: number | null; samples: number[] };
  requestAnimationFrame(cb: () => void): void;
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  pid: number;
  id?: string;
  id2?: { local?: string; global?: string };
  args?: { event_latency?: { event_type?: string } };
}

/** Key-press latencies (ms, input to presentation) from a Chrome trace's EventLatency slices. */
function keyPressLatencies(trace: Buffer): number[] {
  const parsed = JSON.parse(trace.toString()) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const open = new Map<string, number>();
  const out: number[] = [];
  for (const e of [...events].sort((a, b) => a.ts - b.ts)) {
    if (e.name !== 'EventLatency') continue;
    const key = `${e.pid}:${e.id2?.local ?? e.id2?.global ?? e.id}`;
    if (e.ph === 'b' && e.args?.event_latency?.event_type === 'KEY_PRESSED') open.set(key, e.ts);
    else if (e.ph === 'e' && open.has(key)) {
      out.push((e.ts - open.get(key)!) / 1000);
      open.delete(key);
    }
  }
  return out;
}

async function settle(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((ok) => {
        const w = globalThis as unknown as PerfWindow;
        w.requestAnimationFrame(() => w.requestAnimationFrame(() => ok()));
      }),
  );
  await page.waitForTimeout(SETTLE_MS);
}

async function traced(browser: Browser, page: Page, run: () => Promise<void>): Promise<number[]> {
  await browser.startTracing(page, { categories: ['input', 'latencyInfo'] });
  await run();
  return keyPressLatencies(await browser.stopTracing());
}

async function scrub(browser: Browser, page: Page, key: 'ArrowLeft' | 'ArrowRight') {
  await page.evaluate(() => {
    (globalThis as unknown as PerfWindow).__shotcastPerf = { enabled: true, pending: null, samples: [] };
  });
  const presented = await traced(browser, page, async () => {
    for (let i = 0; i < STEPS; i++) {
      await page.keyboard.press(key);
      try {
        await page.waitForFunction(
          (n) => ((globalThis as unknown as PerfWindow).__shotcastPerf?.samples.length ?? 0) >= n,
          i + 1,
          { timeout: 30_000, polling: 'raf' },
        );
      } catch (e) {
        throw new Error(`${key} step ${i}: no frame after the input: ${(e as Error).message}`);
      }
      await settle(page);
    }
  });
  const drawn = await page.evaluate(() => {
    const p = (globalThis as unknown as PerfWindow).__shotcastPerf!;
    p.enabled = false;
    return p.samples;
  });
  const d = summarise(drawn);
  return { ...summarise(presented), drawMedianMs: d.medianMs, drawP95Ms: d.p95Ms };
}

/** The same presses on a page whose only change per key is one line of text. */
async function floor(browser: Browser): Promise<ReturnType<typeof summarise>> {
  return pressesOn(
    browser,
    '<body><p id="n">0</p><script>let i=0;addEventListener("keydown",()=>{document.getElementById("n").textContent=String(++i)})</script></body>',
  );
}

/**
 * The same presses on a page with one full-window WebGL canvas, cleared to a new colour and covered by
 * one drawn quad at each key, beside the empty page's line of text (a canvas change alone is not
 * tied to the key's latency in the trace): what presenting a WebGL frame of the map's size costs.
 */
async function glFloor(browser: Browser): Promise<ReturnType<typeof summarise>> {
  return pressesOn(
    browser,
    `<body style="margin:0"><p id="n" style="position:absolute;margin:0">0</p><canvas id="c" width="1400" height="900" style="display:block"></canvas><script>
      const gl = document.getElementById('c').getContext('webgl2');
      const sh = (type, src) => { const s = gl.createShader(type); gl.shaderSource(s, src); gl.compileShader(s); return s; };
      const prog = gl.createProgram();
      gl.attachShader(prog, sh(gl.VERTEX_SHADER, '#version 300 es\\nin vec2 p;void main(){gl_Position=vec4(p,0,1);}'));
      gl.attachShader(prog, sh(gl.FRAGMENT_SHADER, '#version 300 es\\nprecision mediump float;uniform float k;out vec4 o;void main(){o=vec4(k,0.5,1.0-k,0.5);}'));
      gl.linkProgram(prog);
      gl.useProgram(prog);
      gl.bindBuffer(gl.ARRAY_BUFFER, gl.createBuffer());
      gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1,-1,1,-1,-1,1,1,1]), gl.STATIC_DRAW);
      gl.enableVertexAttribArray(0);
      gl.vertexAttribPointer(0, 2, gl.FLOAT, false, 0, 0);
      gl.enable(gl.BLEND);
      let i = 0;
      addEventListener('keydown', () => {
        document.getElementById('n').textContent = String(++i);
        gl.clearColor((i % 7) / 7, 0.2, 0.3, 1);
        gl.clear(gl.COLOR_BUFFER_BIT);
        gl.uniform1f(gl.getUniformLocation(prog, 'k'), (i % 5) / 5);
        gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
      });
    </script></body>`,
  );
}

async function pressesOn(browser: Browser, html: string): Promise<ReturnType<typeof summarise>> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setContent(html);
  const n = Math.min(STEPS, 100);
  const presented = await traced(browser, page, async () => {
    for (let i = 0; i < n; i++) {
      await page.keyboard.press('ArrowLeft');
      await settle(page);
    }
  });
  // Each press must have changed the page, or the latencies are of frames never drawn.
  const counted = Number(await page.textContent('#n'));
  await page.close();
  if (errors.length > 0 || counted !== n)
    throw new Error(`floor page: ${errors[0] ?? `${counted} of ${n} presses handled`}`);
  return summarise(presented);
}

async function main(): Promise<void> {
  const web = await startWeb();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(web.url);
    await waitForForecast(page, 180_000);
    await page.locator('[data-testid=map][data-ready="1"]').waitFor({ timeout: 180_000 });
    // Let the basemap's first canvas draw and the first forecast settle before measuring.
    await page.waitForTimeout(3000);
    // The first dataset's event count, as the datasets table shows it.
    const events = Number(await page.locator('[data-testid^=dataset-events-]').first().textContent());
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    const defaultView = await scrub(browser, page, 'ArrowLeft');
    if (process.env.SHOTCAST_BENCH_DEBUG)
      process.stderr.write(`default view: ${JSON.stringify(defaultView)}\n`);
    await page.getByTestId('tab-forecast').click();
    await page.getByTestId('view-heatmap').check();
    await waitForForecast(page, 180_000);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    const heatmapView = await scrub(browser, page, 'ArrowRight');
    const emptyPage = await floor(browser);
    const glPage = await glFloor(browser);
    const result = {
      steps: STEPS,
      step: 'day',
      events,
      renderer: 'headless chromium, SwiftShader (software GL), 1400×900',
      measure: 'input event to frame presented (Chrome EventLatency); draw* = to the end of the deck.gl draw',
      default: defaultView,
      heatmap: heatmapView,
      floor: emptyPage,
      glFloor: glPage,
      target: { medianMs: 16, p95Ms: 33 },
      pass: defaultView.medianMs <= 16 && defaultView.p95Ms <= 33,
    };
    process.stdout.write(JSON.stringify(result) + '\n');
  } finally {
    await browser.close();
    await web.stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:ui: ${(e as Error).message.split('\n')[0]}\n`);
  process.exit(1);
});
