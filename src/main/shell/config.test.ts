import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  APP_CSP,
  APP_URL,
  isAllowedNavigation,
  isAllowedRequest,
  isAppPage,
  permissionDecision,
  PRIVILEGED_SCHEMES,
  appScriptType,
  resolveAppFile,
  tileFromUrl,
  windowConfig,
} from './config.ts';

describe('window configuration', () => {
  const w = windowConfig('/app/out/preload/index.cjs');

  it('sandboxes the page, isolates the context and keeps Node out of it', () => {
    expect(w.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
  });

  it('keeps devtools off unless asked', () => {
    expect(w.webPreferences.devTools).toBe(false);
    expect(windowConfig('/p', { devTools: true }).webPreferences.devTools).toBe(true);
  });

  it("sends the renderer's scripts, the pdf.js module worker included, as JavaScript", () => {
    expect(appScriptType('/app/out/renderer/assets/pdf.worker.min-wgc6bjNh.mjs')).toBe(
      'text/javascript; charset=utf-8',
    );
    expect(appScriptType('/app/out/renderer/assets/index-Bbg6ala8.js')).toBe(
      'text/javascript; charset=utf-8',
    );
    expect(appScriptType('/app/out/renderer/index.html')).toBeNull();
    expect(appScriptType('/app/out/renderer/assets/x.mjs.map')).toBeNull();
  });

  it('loads the app from its own privileged scheme, not file://', () => {
    expect(APP_URL).toBe('app://shotcast/index.html');
    expect(PRIVILEGED_SCHEMES.map((s) => s.scheme)).toEqual(['app', 'tiles']);
    for (const s of PRIVILEGED_SCHEMES) expect(s.privileges).toMatchObject({ standard: true, secure: true });
  });
});

describe('content security policy', () => {
  const directives = new Map(
    APP_CSP.split(';').map((d) => {
      const [k, ...v] = d.trim().split(/\s+/);
      return [k, v] as const;
    }),
  );

  it('allows scripts only from the app: no inline script, no eval, no remote host', () => {
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(APP_CSP).not.toMatch(/unsafe-eval|https?:|\*/);
  });

  it('allows no frames (the briefing preview draws its pages with pdf.js) and no plugins', () => {
    expect(directives.get('frame-src')).toEqual(["'none'"]);
    expect(directives.get('child-src')).toBeUndefined();
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it("repeats the frame and plugin rules in the page's own <meta> policy (both policies apply)", () => {
    const html = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    const metaDirectives = new Map(
      meta.split(';').map((d) => {
        const [k, ...v] = d.trim().split(/\s+/);
        return [k, v] as const;
      }),
    );
    for (const d of ['default-src', 'script-src', 'connect-src', 'frame-src', 'object-src'])
      expect(metaDirectives.get(d), d).toEqual(directives.get(d));
  });

  it('lets images come from the tiles protocol', () => {
    expect(directives.get('img-src')).toContain('tiles:');
  });
});

describe('session request filter', () => {
  it.each([
    'app://shotcast/index.html',
    'app://shotcast/assets/index-abc.js',
    'tiles://tile/12/1171/1566.png',
    'data:image/png;base64,AAAA',
    'blob:app://shotcast/1234',
  ])('lets the local request %s through', (url) => {
    expect(isAllowedRequest(url)).toBe(true);
  });

  it.each([
    'https://tile.openstreetmap.org/1/1/1.png',
    'http://127.0.0.1:5317/api/datasets.list',
    'ws://localhost:8080/',
    'file:///etc/passwd',
    'ftp://example.com/x',
    'app://evil.example/index.html',
    'tiles://elsewhere/1/1/1',
    'not a url',
  ])('blocks %s', (url) => {
    expect(isAllowedRequest(url)).toBe(false);
  });
});

describe('navigation and permissions', () => {
  it('allows only a reload of the app page', () => {
    expect(isAllowedNavigation('app://shotcast/index.html')).toBe(true);
    expect(isAllowedNavigation('https://example.com/')).toBe(false);
    expect(isAllowedNavigation('app://shotcast/other.html')).toBe(false);
    expect(isAllowedNavigation('file:///tmp/index.html')).toBe(false);
    expect(isAllowedNavigation('javascript:alert(1)')).toBe(false);
  });

  it('accepts IPC only from the app page', () => {
    expect(isAppPage('app://shotcast/index.html')).toBe(true);
    expect(isAppPage('app://shotcast/index.html#x')).toBe(true);
    expect(isAppPage('https://example.com/')).toBe(false);
    expect(isAppPage('')).toBe(false);
  });

  it.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen'])(
    'denies the %s permission',
    (p) => {
      expect(permissionDecision(p)).toBe(false);
    },
  );
});

describe('app:// file resolution', () => {
  const root = resolve('/srv/shotcast/out/renderer');

  it('maps app URLs inside the renderer folder', () => {
    expect(resolveAppFile(root, 'app://shotcast/index.html')).toBe(join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://shotcast/')).toBe(join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://shotcast/assets/a.js?x=1')).toBe(join(root, 'assets', 'a.js'));
  });

  it.each([
    'app://shotcast/../../package.json',
    'app://shotcast/%2e%2e/%2e%2e/package.json',
    'app://shotcast/assets/..%2f..%2f..%2fsecret',
    'app://shotcast/%2E%2E%2F%2E%2E%2Fsecret',
  ])('never leaves the renderer folder for %s', (url) => {
    const file = resolveAppFile(root, url);
    if (file !== null) expect(file.startsWith(root + '/')).toBe(true);
  });

  it.each([
    'app://shotcast/assets/..%2f..%2f..%2fsecret',
    'app://shotcast/%2e%2e%5csecret',
    'app://shotcast/a%00.html',
    'app://other/index.html',
    'tiles://tile/1/1/1',
  ])('refuses %s', (url) => {
    expect(resolveAppFile(root, url)).toBeNull();
  });
});

describe('tiles:// parsing', () => {
  it('reads z/x/y', () => {
    expect(tileFromUrl('tiles://tile/12/1171/1566.png')).toEqual({ z: 12, x: 1171, y: 1566 });
    expect(tileFromUrl('tiles://tile/0/0/0')).toEqual({ z: 0, x: 0, y: 0 });
  });

  it.each([
    'tiles://tile/../../etc/passwd',
    'tiles://tile/12/../1566.png',
    'tiles://tile/12/%2e%2e/1566',
    'tiles://tile/12/1171/1566.png/..',
    'tiles://tile/3/8/1',
    'tiles://tile/12/1171',
    'tiles://other/1/1/1',
    'tiles://tile/a/b/c',
  ])('refuses %s', (url) => {
    expect(tileFromUrl(url)).toBeNull();
  });
});
