import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from '../ipc/registry.ts';
import type { Jobs } from '../ipc/jobs.ts';
import { contentSecurityPolicy } from '../ipc/security.ts';
import { parseTilePath, type MbTiles } from '../tiles/mbtiles.ts';
import { isAllowedHost, isLoopbackAddress, readTokens, TOKEN_COOKIE, TOKEN_HEADER } from './guard.ts';
import { uploadFileName, UploadError, Uploads } from './uploads.ts';
import { logInternalError } from '../util/failure.ts';

export interface WebHostOptions {
  dispatcher: Dispatcher;
  jobs: Jobs;
  /** The built renderer (out/renderer). */
  staticDir: string;
  port?: number;
  /** Fixed token for tests; a fresh random one per run otherwise. */
  token?: string;
  tiles?: MbTiles | null;
  /** Largest RPC body, bytes (default 1 MB); a larger one gets 413 before it is read. */
  maxBody?: number;
  /** Largest upload, bytes (default 1 GB); uploads stream to a temporary file, never to memory. */
  maxUpload?: number;
  /** Where uploads wait for the import that claims them (created by the host when not given). */
  uploads?: Uploads;
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
  // pdf.js's worker (a module worker: it needs a JavaScript type).
  '.mjs': 'text/javascript; charset=utf-8',
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
  const maxBody = opts.maxBody ?? DEFAULT_MAX_RPC_BODY;
  const maxUpload = opts.maxUpload ?? DEFAULT_MAX_UPLOAD;
  const uploads = opts.uploads ?? new Uploads();
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
      // Only a bug lands here: every bad input is answered with a 4xx inside handle().
      const log = logInternalError(e, `web ${req.method} ${String(req.url).slice(0, 200)}`);
      if (!res.headersSent)
        send(res, 500, 'text/plain', `internal error: ${(e as Error).message} (the stack is in ${log})`);
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
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    } catch {
      return send(res, 400, 'text/plain', 'bad request: malformed URL');
    }
    const fromQuery = url.searchParams.get('token');
    // Any token the request carries may open it: a fresh ?token= URL wins over an older run's cookie.
    if (!readTokens(req.headers, fromQuery).some(tokenOk))
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
      if (url.pathname === '/api/upload') return upload(req, res, url);
      let channel: string;
      try {
        channel = decodeURIComponent(url.pathname.slice('/api/'.length));
      } catch {
        return json(res, 400, { ok: false, error: 'bad request: malformed % escape in the channel name' });
      }
      const read = await readBody(req, maxBody);
      if (read.status !== 200) return refuseBody(req, res, read.status, read.error);
      let body: unknown;
      try {
        body = JSON.parse(read.body.toString('utf8') || 'null');
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

  async function upload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    let name: string;
    try {
      name = uploadFileName(url.searchParams.get('name'));
    } catch (e) {
      return refuseBody(req, res, 400, (e as Error).message);
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxUpload)
      return refuseBody(
        req,
        res,
        413,
        `upload of ${declared} bytes is larger than the ${mib(maxUpload)} limit`,
      );
    try {
      const { id, bytes } = await uploads.receive(req, name, maxUpload);
      return json(res, 200, { ok: true, value: { upload: id, bytes } });
    } catch (e) {
      if (!(e instanceof UploadError)) throw e;
      if (e.status === 499) return; // the client is gone; nobody to answer
      return refuseBody(req, res, e.status, e.message);
    }
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
        server.close(() => void uploads.releaseAll().then(ok, ok));
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

/** Default cap of an RPC body: requests are small JSON; files travel through /api/upload. */
export const DEFAULT_MAX_RPC_BODY = 1024 * 1024;
/** Default cap of an upload (npm run web -- --max-upload-mb N changes it). */
export const DEFAULT_MAX_UPLOAD = 1024 * 1024 * 1024;
/** How much of a refused body is read and thrown away so the client sees the answer, not a reset. */
const DISCARD_LIMIT = 64 * 1024 * 1024;

function mib(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

/**
 * Answers a request whose body will not be read (too large, or refused), then closes the connection.
 * The rest of the body is read and dropped up to a limit, so a client still sending sees the answer
 * rather than a reset; a client that keeps sending beyond that is cut off.
 */
function refuseBody(req: IncomingMessage, res: ServerResponse, status: number, error: string): void {
  res.setHeader('Connection', 'close');
  json(res, status, { ok: false, error });
  let dropped = 0;
  req.on('data', (c: Buffer) => {
    dropped += c.length;
    if (dropped > DISCARD_LIMIT) req.destroy();
  });
  req.resume();
}

type BodyRead = { status: 200; body: Buffer } | { status: 413 | 400; error: string };

/** Reads a JSON body up to `max` bytes; a larger one (declared or streamed) is refused with 413. */
function readBody(req: IncomingMessage, max: number): Promise<BodyRead> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max)
    return Promise.resolve({
      status: 413,
      error: `request body of ${declared} bytes is larger than ${max} bytes`,
    });
  return new Promise((ok) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > max) {
        req.off('data', onData);
        req.pause();
        chunks.length = 0;
        ok({ status: 413, error: `request body larger than ${max} bytes` });
        return;
      }
      chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => ok({ status: 200, body: Buffer.concat(chunks) }));
    req.on('error', (e) => ok({ status: 400, error: `request body: ${e.message}` }));
  });
}
