/**
 * The Electron shell's security settings as plain data and pure functions, so unit tests can assert
 * them without Electron (which cannot run everywhere the tests do). app.ts applies them.
 */
import { resolve, sep } from 'node:path';
import { contentSecurityPolicy } from '../ipc/security.ts';
import { parseTilePath, type TileRequest } from '../tiles/mbtiles.ts';

export const APP_SCHEME = 'app';
export const APP_HOST = 'shotcast';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/index.html`;
export const TILES_SCHEME = 'tiles';
export const TILES_URL_TEMPLATE = `${TILES_SCHEME}://tile/{z}/{x}/{y}`;

/** Both schemes are standard + secure so the page gets a real origin, CSP 'self' and fetch. */
export const PRIVILEGED_SCHEMES = [
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  { scheme: TILES_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
] as const;

export interface WebPreferencesConfig {
  preload: string;
  sandbox: true;
  contextIsolation: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  webviewTag: false;
  experimentalFeatures: false;
  navigateOnDragDrop: false;
  safeDialogs: true;
  spellcheck: false;
  devTools: boolean;
}

export interface WindowConfig {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: false;
  title: string;
  backgroundColor: string;
  webPreferences: WebPreferencesConfig;
}

/** The main window: sandboxed, isolated, no Node in the page, only the preload's named functions. */
export function windowConfig(preload: string, opts: { devTools?: boolean } = {}): WindowConfig {
  return {
    width: 1440,
    height: 920,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'shotcast',
    backgroundColor: '#eef0f3',
    webPreferences: {
      preload,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: opts.devTools ?? false,
    },
  };
}

/** The page's CSP, also sent as a response header by the app:// protocol. */
export const APP_CSP = contentSecurityPolicy({ tiles: `${TILES_SCHEME}:` });

const LOCAL_SCHEMES = new Set([`${APP_SCHEME}:`, `${TILES_SCHEME}:`, 'data:', 'blob:', 'devtools:']);

/**
 * Whether the session lets a request through. Only the app's own schemes (and data/blob URLs it makes
 * itself) pass: any http(s), ws, file or other scheme is cancelled, so nothing reaches the network or
 * the disk behind the app's back.
 */
export function isAllowedRequest(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (!LOCAL_SCHEMES.has(u.protocol)) return false;
  if (u.protocol === `${APP_SCHEME}:`) return u.host === APP_HOST;
  if (u.protocol === `${TILES_SCHEME}:`) return u.host === 'tile';
  return true;
}

/** Navigation never leaves the app's one page (a reload of it is the only allowed navigation). */
export function isAllowedNavigation(url: string): boolean {
  try {
    // Custom schemes have an opaque origin ('null') in WHATWG URLs: compare scheme and host instead.
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.pathname === '/index.html';
  } catch {
    return false;
  }
}

/** Whether a frame URL is the app's own page (IPC calls from anything else are refused). */
export function isAppPage(url: string): boolean {
  return isAllowedNavigation(url.replace(/[?#].*$/, ''));
}

/** Every permission (camera, geolocation, notifications, clipboard, …) is denied. */
export function permissionDecision(_permission: string): false {
  return false;
}

/** Maps an app:// URL to a file inside the built renderer, or null for anything that escapes it. */
/**
 * The Content-Type the app:// scheme sends for the renderer's scripts: a module worker (pdf.js's,
 * an .mjs file) must come with a JavaScript type, which `nosniff` then holds it to.
 */
export function appScriptType(file: string): string | null {
  return /\.(m?js)$/.test(file) ? 'text/javascript; charset=utf-8' : null;
}

export function resolveAppFile(rendererRoot: string, url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\')) return null;
  if (path === '/' || path === '') path = '/index.html';
  const root = resolve(rendererRoot);
  const file = resolve(root, '.' + path);
  return file.startsWith(root + sep) ? file : null;
}

/** The tile a tiles:// URL asks for, or null when it is anything but `tiles://tile/{z}/{x}/{y}[.ext]`. */
export function tileFromUrl(url: string): TileRequest | null {
  // Checked on the raw text: URL parsing would silently resolve `..` segments before we saw them.
  const m = /^tiles:\/\/tile(\/[^?#]*)$/.exec(url);
  return m ? parseTilePath(m[1]) : null;
}
