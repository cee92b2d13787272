import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openDb, openReader } from '../db/connection.ts';
import { createBackend, Jobs } from '../ipc/index.ts';
import { MbTiles } from '../tiles/mbtiles.ts';
import { startWebHost, type WebHost } from './server.ts';
import { Uploads } from './uploads.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface WebRunOptions {
  port: number;
  db: string;
  tiles?: string;
  staticDir: string;
  token?: string;
  /** Largest upload in MB (default 1024). */
  maxUploadMb?: number;
}

/** `npm run web [-- --port N --db PATH --tiles FILE.mbtiles]` options; a bad option is a usage error. */
export function parseWebArgs(argv: string[]): {
  port: number;
  db: string;
  tiles?: string;
  maxUploadMb?: number;
} {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      db: { type: 'string' },
      tiles: { type: 'string' },
      'max-upload-mb': { type: 'string' },
    },
    strict: true,
  });
  const maxUploadMb = values['max-upload-mb'] === undefined ? undefined : Number(values['max-upload-mb']);
  if (
    maxUploadMb !== undefined &&
    !(Number.isInteger(maxUploadMb) && maxUploadMb >= 1 && maxUploadMb <= 65536)
  )
    throw new Error(
      `--max-upload-mb: expected a whole number of MB, 1..65536, got '${values['max-upload-mb']}'`,
    );
  const port = values.port === undefined ? 5317 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port: expected 0..65535, got '${values.port}'`);
  return {
    port,
    db: resolve(values.db ?? resolve(REPO_ROOT, '.shotcast', 'web.db')),
    ...(values.tiles ? { tiles: resolve(values.tiles) } : {}),
    ...(maxUploadMb !== undefined ? { maxUploadMb } : {}),
  };
}

/** Opens the database, binds the handlers and starts the loopback host. */
export async function runWebHost(opts: WebRunOptions): Promise<WebHost & { stop(): Promise<void> }> {
  mkdirSync(dirname(opts.db), { recursive: true });
  const db = openDb(opts.db);
  const reader = openReader(opts.db);
  const tiles = opts.tiles ? new MbTiles(opts.tiles) : null;
  const jobs = new Jobs();
  const uploads = new Uploads();
  const pkg = JSON.parse(readFileSync(resolve(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  const dispatcher = createBackend({
    db,
    reader,
    dbPath: opts.db,
    resourcesDir: resolve(REPO_ROOT, 'resources'),
    transport: 'web',
    version: pkg.version,
    jobs,
    tiles: () => tiles?.info('/tiles/{z}/{x}/{y}') ?? null,
    uploads,
  });
  const host = await startWebHost({
    dispatcher,
    jobs,
    staticDir: opts.staticDir,
    port: opts.port,
    tiles,
    uploads,
    ...(opts.maxUploadMb ? { maxUpload: opts.maxUploadMb * 1024 * 1024 } : {}),
    ...(opts.token ? { token: opts.token } : {}),
  });
  return {
    ...host,
    async stop() {
      await host.close();
      tiles?.close();
      reader.close();
      db.close();
    },
  };
}
