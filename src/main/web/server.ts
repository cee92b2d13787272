import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from '../ipc/registry.ts';
import type { Jobs } from '../ipc/jobs.ts';
import { contentSecurityPolicy } from '../ipc/security.ts';
import { parseTilePath, type MbTiles } from '../ipc/mbtiles.ts';
import { isAllowedHost, isLoopbackAddress, readToken, TOKEN_COOKIE, TOKEN_HEADER } from './guard.ts';

export interface WebHostOptions {
  dispatcher: Dispatcher;
  jobs: Jobs;
  /** The built renderer (out/renderer). */
  staticDir: string;
  port?: number;
  /** Fixed token for tests; a fresh random one per run otherwise. */
  token?: string;
  tiles?: MbTiles | null;
  /** Largest request body, bytes (imports carry whole files). */
  maxBody?: number;
}

export interface WebHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

/**
 * Serves the built renderer and the IPC handlers over HTTP on 127.0.0.1 only. Every request must carry
 * the run's token (cookie set by the first `/?token=` visit, or the header) and a loopback Host header
 * (which defeats DNS rebinding). API calls additionally need the token header, which a cross-site page
 * cannot send without a CORS preflight that this server never grants.
 */
export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const tokenBuf = Buffer.from(token);
  const maxBody = opts.maxBody ?? 1024 * 1024 * 1024;
  const staticRoot = resolve(opts.staticDir);
  let port = 0;
  const csp = contentSecurityPolicy();

  const tokenOk = (given: string | null): boolean => {
    if (!given) return false;
    const b = Buffer.from(given);
    return b.length === tokenBuf.length && timingSafeEqual(b, tokenBuf);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain', `internal error: ${(e as Error).message}`);
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Cache-Control', 'no-store');
    if (!isLoopbackAddress(req.socket.remoteAddress) || !isAllowedHost(req.headers.host, port)) {
      return send(res, 403, 'text/plain', 'forbidden: the shotcast web host answers only 127.0.0.1');
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const fromQuery = url.searchParams.get('token');
    const given = readToken(req.headers, fromQuery);
    if (!tokenOk(given))
      return send(
        res,
        401,
        'text/plain',
        'unauthorized: open the URL with ?token= that shotcast web printed',
      );

    if (url.pathname.startsWith('/api/')) {
      // EventSource cannot set headers; the progress stream is read-only, so the token cookie or query suffices.
      if (url.pathname === '/api/progress' && req.method === 'GET') return progressStream(req, res);
      if (!tokenOk(headerToken(req)))
        return send(res, 401, 'text/plain', `unauthorized: API calls need the ${TOKEN_HEADER} header`);
      if (req.method !== 'POST') return send(res, 405, 'text/plain', 'method not allowed');
      const channel = decodeURIComponent(url.pathname.slice('/api/'.length));
      let body: unknown;
      try {
        body = JSON.parse((await readBody(req, maxBody)).toString('utf8') || 'null');
      } catch (e) {
        return json(res, 400, { ok: false, error: `request body: ${(e as Error).message}` });
      }
      const result = await opts.dispatcher.dispatch(channel, body);
      return json(res, 200, result);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'text/plain', 'method not allowed');
    if (url.pathname.startsWith('/tiles/')) return tile(res, url.pathname.slice('/tiles'.length));
    if (fromQuery) {
      // The token moves into an HttpOnly cookie so it leaves the address bar and history.
      res.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    }
    return serveStatic(res, url.pathname);
  }

  function headerToken(req: IncomingMessage): string | null {
    const h = req.headers[TOKEN_HEADER];
    return typeof h === 'string' ? h : null;
  }

  function progressStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', Connection: 'keep-alive' });
    res.write(': shotcast progress\n\n');
    const off = opts.jobs.onProgress((p) => res.write(`data: ${JSON.stringify(p)}\n\n`));
    req.on('close', off);
  }

  async function tile(res: ServerResponse, path: string): Promise<void> {
    const t = parseTilePath(path);
    if (!t) return send(res, 400, 'text/plain', 'bad tile path');
    const data = opts.tiles?.tile(t);
    if (!data || !opts.tiles) return send(res, 404, 'text/plain', 'no tile');
    res.writeHead(200, { 'Content-Type': opts.tiles.mime });
    res.end(data);
  }

  async function serveStatic(res: ServerResponse, pathname: string): Promise<void> {
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      return send(res, 400, 'text/plain', 'bad path');
    }
    if (rel.includes('\0')) return send(res, 400, 'text/plain', 'bad path');
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = resolve(join(staticRoot, rel));
    if (file !== staticRoot && !file.startsWith(staticRoot + sep))
      return send(res, 403, 'text/plain', 'forbidden');
    const s = await stat(file).catch(() => null);
    if (!s?.isFile()) return send(res, 404, 'text/plain', 'not found');
    let body: Buffer = await readFile(file);
    const type = MIME[extname(file)] ?? 'application/octet-stream';
    if (extname(file) === '.html') {
      res.setHeader('Content-Security-Policy', csp);
      // The page reads the token from here to sign its API calls.
      body = Buffer.from(
        body
          .toString('utf8')
          .replace('<head>', `<head>\n    <meta name="shotcast-token" content="${token}" />`),
      );
    }
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length });
    res.end(body);
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': `${type}; charset=utf-8` });
  res.end(body);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        fail(new Error(`larger than ${max} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => ok(Buffer.concat(chunks)));
    req.on('error', fail);
  });
}
