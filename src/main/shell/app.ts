import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  net,
  protocol,
  session,
  type WebContents,
} from 'electron';
import { mkdirSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDb, openReader } from '../db/connection.ts';
import { resourcesDir } from '../util/resources.ts';
import { createBackend, Jobs, type Dispatcher } from '../ipc/index.ts';
import { MbTiles } from '../tiles/mbtiles.ts';
import { PROGRESS_CHANNEL } from '../../preload/api.ts';
import {
  APP_CSP,
  APP_SCHEME,
  APP_URL,
  isAllowedNavigation,
  isAllowedRequest,
  isAppPage,
  permissionDecision,
  PRIVILEGED_SCHEMES,
  appScriptType,
  resolveAppFile,
  tileFromUrl,
  TILES_SCHEME,
  TILES_URL_TEMPLATE,
  windowConfig,
} from './config.ts';

/** Starts the workstation: locks the session down, binds the handlers, opens the window. */
export function startShell(): void {
  // The built app: out/ beside package.json, in the checkout (`npm start`) or in app.asar (installed).
  const RENDERER = join(app.getAppPath(), 'out', 'renderer');
  const PRELOAD = join(app.getAppPath(), 'out', 'preload', 'index.cjs');
  protocol.registerSchemesAsPrivileged(
    PRIVILEGED_SCHEMES.map((s) => ({ ...s, privileges: { ...s.privileges } })),
  );
  app.enableSandbox();
  let tiles: MbTiles | null = process.env.SHOTCAST_MBTILES
    ? new MbTiles(resolve(process.env.SHOTCAST_MBTILES))
    : null;
  let win: BrowserWindow | null = null;

  app.on('web-contents-created', (_e, contents) => lockDown(contents));
  app.on('window-all-closed', () => app.quit());

  app
    .whenReady()
    .then(() => {
      const ses = session.defaultSession;
      ses.setPermissionRequestHandler((_wc, permission, callback) =>
        callback(permissionDecision(permission)),
      );
      ses.setPermissionCheckHandler((_wc, permission) => permissionDecision(permission));
      ses.webRequest.onBeforeRequest((details, callback) =>
        callback({ cancel: !isAllowedRequest(details.url) }),
      );

      protocol.handle(APP_SCHEME, async (request) => {
        const file = resolveAppFile(RENDERER, request.url);
        if (!file) return new Response('forbidden', { status: 403 });
        const res = await net.fetch(pathToFileURL(file).href, { bypassCustomProtocolHandlers: true });
        const headers = new Headers(res.headers);
        if (extname(file) === '.html') headers.set('Content-Security-Policy', APP_CSP);
        const script = appScriptType(file);
        if (script) headers.set('Content-Type', script);
        headers.set('X-Content-Type-Options', 'nosniff');
        return new Response(res.body, { status: res.status, headers });
      });
      protocol.handle(TILES_SCHEME, (request) => {
        const t = tileFromUrl(request.url);
        if (!t) return new Response('bad tile path', { status: 400 });
        const data = tiles?.tile(t);
        if (!data || !tiles) return new Response('no tile', { status: 404 });
        return new Response(new Uint8Array(data), { headers: { 'Content-Type': tiles.mime } });
      });

      const dbPath = join(app.getPath('userData'), 'shotcast.db');
      mkdirSync(app.getPath('userData'), { recursive: true });
      const db = openDb(dbPath);
      const reader = openReader(dbPath);
      const jobs = new Jobs();
      const dispatcher = createBackend({
        db,
        reader,
        dbPath,
        resourcesDir: resourcesDir(),
        transport: 'electron',
        version: app.getVersion(),
        jobs,
        tiles: () => tiles?.info(TILES_URL_TEMPLATE) ?? null,
      });
      registerIpc(dispatcher);
      jobs.onProgress((p) => win?.webContents.send(PROGRESS_CHANNEL, p));

      const open = () => {
        win = new BrowserWindow(windowConfig(PRELOAD, { devTools: !app.isPackaged }));
        win.once('ready-to-show', () => win?.show());
        win.on('closed', () => (win = null));
        void win.loadURL(APP_URL);
      };
      Menu.setApplicationMenu(
        Menu.buildFromTemplate([
          {
            label: 'File',
            submenu: [
              {
                label: 'Use MBTiles basemap…',
                click: async () => {
                  const r = await dialog.showOpenDialog({
                    filters: [{ name: 'MBTiles', extensions: ['mbtiles'] }],
                    properties: ['openFile'],
                  });
                  if (r.canceled || !r.filePaths[0]) return;
                  try {
                    const next = new MbTiles(r.filePaths[0]);
                    tiles?.close();
                    tiles = next;
                    win?.webContents.reload();
                  } catch (e) {
                    dialog.showErrorBox('MBTiles', (e as Error).message);
                  }
                },
              },
              { role: 'quit' },
            ],
          },
          { role: 'editMenu' },
          { role: 'viewMenu' },
        ]),
      );
      open();
      app.on('activate', () => {
        if (BrowserWindow.getAllWindows().length === 0) open();
      });
      app.on('will-quit', () => {
        tiles?.close();
        reader.close();
        db.close();
      });
    })
    .catch(failStart);
}

/**
 * A start that cannot go on (no database, no Electron build of better-sqlite3): one line on stderr
 * and in a dialog box, no stack trace, exit code 1.
 */
export function failStart(e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(`shotcast: ${message}\n`);
  if (process.env.SHOTCAST_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  if (app.isReady()) dialog.showErrorBox('shotcast cannot start', message);
  app.exit(1);
}

/** One ipcMain handler per contract channel; only our own page may call them. */
function registerIpc(dispatcher: Dispatcher): void {
  for (const channel of dispatcher.channels) {
    ipcMain.handle(channel, (event, arg: unknown) => {
      const from = event.senderFrame?.url ?? '';
      if (!isAppPage(from))
        return { ok: false, error: `${channel}: refused a call from ${from || 'an unknown frame'}` };
      return dispatcher.dispatch(channel, arg);
    });
  }
}

function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (e, url) => {
    if (!isAllowedNavigation(url)) e.preventDefault();
  });
  contents.on('will-redirect', (e, url) => {
    if (!isAllowedNavigation(url)) e.preventDefault();
  });
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
