/**
 * Shared by the browser tests and bench:ui: start `npm run web` (scripts/web.mjs) on a fresh database
 * and a free port, and launch Debian's headless Chromium with software GL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHROMIUM = process.env.SHOTCAST_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * The few browser globals the page-side helpers touch, typed here because the Node-side tsconfig has no
 * DOM library (and should not get one: the core must not use browser APIs by accident).
 */
export interface BrowserGlobals {
  document: {
    querySelector(selector: string): { textContent: string | null } | null;
    createElement(tag: 'canvas'): {
      width: number;
      height: number;
      getContext(kind: '2d'): {
        drawImage(img: unknown, x: number, y: number): void;
        getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
      } | null;
    };
  };
  Image: new () => { src: string; width: number; height: number; decode(): Promise<void> };
}

export interface WebServer {
  url: string;
  origin: string;
  dbPath: string;
  output: () => string;
  stop(): Promise<void>;
}

/** Runs `node scripts/web.mjs --port 0 --db <fresh>` and resolves once it prints its URL. */
export async function startWeb(opts: { db?: string } = {}): Promise<WebServer> {
  const dir = mkdtempSync(join(tmpdir(), 'shotcast-e2e-'));
  const dbPath = opts.db ?? join(dir, 'e2e.db');
  const child: ChildProcess = spawn(process.execPath, ['scripts/web.mjs', '--port', '0', '--db', dbPath], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`web host did not start:\n${out}`)), 110_000);
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = /shotcast web: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`web host exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    origin: new URL(url).origin,
    dbPath,
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((ok) => child.once('exit', ok));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Waits until the app shows a forecast for its current step. */
export async function waitForForecast(page: Page, timeout = 90_000): Promise<string> {
  const h = await page.waitForFunction(
    () => {
      const doc = (globalThis as unknown as BrowserGlobals).document;
      const t = doc.querySelector('[data-testid=forecast-caption]')?.textContent ?? '';
      return t.includes('forecast for') ? t : false;
    },
    null,
    { timeout },
  );
  return (await h.jsonValue()) as string;
}

/**
 * Records what a page asks for beyond the web host (and data:/blob: URLs, or any URL `allow` accepts)
 * and every console error or uncaught exception, so a test can assert both lists stay empty.
 */
export function watchPage(
  page: Page,
  origin: string,
  allow: (url: string) => boolean = () => false,
): { offsite: string[]; consoleErrors: string[] } {
  const offsite: string[] = [];
  const consoleErrors: string[] = [];
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(`${origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:') && !allow(u))
      offsite.push(u);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  return { offsite, consoleErrors };
}

/** Calls the web host's API from the test, as the page does (the run's token in the header). */
export async function rpc(
  web: WebServer,
  channel: string,
  body: unknown,
): Promise<{ ok: boolean; value?: unknown; error?: string }> {
  const token = new URL(web.url).searchParams.get('token') ?? '';
  const r = await fetch(`${web.origin}/api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shotcast-token': token },
    body: JSON.stringify(body),
  });
  return (await r.json()) as { ok: boolean; value?: unknown; error?: string };
}
