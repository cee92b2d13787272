import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { openDb, type WritableDb } from '../db/connection.ts';
import { createBackend, Jobs } from '../ipc/index.ts';
import { startWebHost, type WebHost } from './server.ts';
import { Uploads } from './uploads.ts';
import { TOKEN_COOKIE } from './guard.ts';

/** The web host's limits, tested over real HTTP against the real handlers. */

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

type Body = string | Buffer | (() => Readable);

function send(
  port: number,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: Body; abortAfter?: number } = {},
): Promise<Reply> {
  return new Promise((ok, fail) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: opts.method ?? 'GET',
        headers: { Host: `127.0.0.1:${port}`, ...opts.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', fail);
    if (typeof opts.body === 'function') opts.body().pipe(req);
    else req.end(opts.body);
  });
}

/** `total` bytes of CSV-ish text, generated chunk by chunk so the client holds only one chunk. */
function generated(total: number, chunk = 64 * 1024): () => Readable {
  return () => {
    const block = Buffer.alloc(chunk, 'x');
    let sent = 0;
    return new Readable({
      read() {
        if (sent >= total) {
          this.push(null);
          return;
        }
        const n = Math.min(chunk, total - sent);
        sent += n;
        this.push(n === chunk ? block : block.subarray(0, n));
      },
    });
  };
}

const TOKEN = 'tok-limits';
const api = { 'X-Shotcast-Token': TOKEN };
const SAMPLE = resolve('resources/data/dc_mpd_2014-2018_normalized.csv');

describe('web host limits', () => {
  let dir: string;
  let uploadRoot: string;
  let host: WebHost;
  let db: WritableDb;
  const MAX_UPLOAD = 150 * 1024 * 1024;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shotcast-limits-'));
    uploadRoot = join(dir, 'tmp');
    mkdirSync(uploadRoot);
    mkdirSync(join(dir, 'renderer'));
    writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><html><head></head></html>');
    db = openDb(join(dir, 'db.sqlite'));
    const jobs = new Jobs();
    const uploads = new Uploads(60_000, uploadRoot);
    const dispatcher = createBackend({
      db,
      dbPath: join(dir, 'db.sqlite'),
      resourcesDir: resolve('resources'),
      transport: 'web',
      version: 'test',
      jobs,
      tiles: () => null,
      uploads,
    });
    host = await startWebHost({
      dispatcher,
      jobs,
      staticDir: join(dir, 'renderer'),
      token: TOKEN,
      uploads,
      maxUpload: MAX_UPLOAD,
    });
  });

  afterAll(async () => {
    await host.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a 2 MB RPC body with 413, whether its length is declared or streamed', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) });
    const declared = await send(host.port, '/api/datasets.list', {
      method: 'POST',
      headers: {
        ...api,
        'Content-Type': 'application/json',
        'Content-Length': String(Buffer.byteLength(big)),
      },
      body: big,
    });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toEqual({
      ok: false,
      error: expect.stringMatching(/larger than 1048576 bytes/),
    });
    const streamed = await send(host.port, '/api/datasets.list', {
      method: 'POST',
      headers: { ...api, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
      body: generated(2 * 1024 * 1024),
    });
    expect(streamed.status).toBe(413);
    // A body under the cap still reaches the handler.
    const small = await send(host.port, '/api/datasets.list', { method: 'POST', headers: api, body: '{}' });
    expect(small.status).toBe(200);
    expect(JSON.parse(small.body)).toEqual({ ok: true, value: [] });
  });

  it('streams a 100 MB upload to a temporary file: RSS stays within 50 MB of before', async () => {
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const size = 100 * 1024 * 1024;
    const r = await send(host.port, '/api/upload?name=big.csv', {
      method: 'POST',
      headers: { ...api, 'Content-Type': 'application/octet-stream', 'Content-Length': String(size) },
      body: generated(size, 1024 * 1024),
    });
    clearInterval(timer);
    const after = process.memoryUsage().rss;
    expect(r.status).toBe(200);
    const value = (JSON.parse(r.body) as { value: { upload: string; bytes: number } }).value;
    expect(value.bytes).toBe(size);
    expect(after - before).toBeLessThan(50 * 1024 * 1024);
    expect(peak - before).toBeLessThan(50 * 1024 * 1024);
    const folders = readdirSync(uploadRoot);
    expect(folders).toHaveLength(1);
    expect(statSync(join(uploadRoot, folders[0], 'big.csv')).size).toBe(size);
    // Importing it fails (it is not an alerts file), and the temporary file goes with the failure.
    const imported = await send(host.port, '/api/datasets.import', {
      method: 'POST',
      headers: api,
      body: JSON.stringify({
        jobId: 'imp-big',
        fileName: 'big.csv',
        upload: value.upload,
        dataset: 'big',
        city: 'X',
        tz: 'UTC',
        format: 'auto',
      }),
    });
    expect(JSON.parse(imported.body)).toMatchObject({ ok: false });
    expect(readdirSync(uploadRoot)).toEqual([]);
  }, 180_000);

  it('imports an uploaded file through datasets.import and removes the temporary file', async () => {
    const r = await send(host.port, '/api/upload?name=dc.csv', {
      method: 'POST',
      headers: { ...api, 'Content-Type': 'application/octet-stream' },
      body: readFileSync(SAMPLE),
    });
    expect(r.status).toBe(200);
    const { upload } = (JSON.parse(r.body) as { value: { upload: string } }).value;
    const imported = await send(host.port, '/api/datasets.import', {
      method: 'POST',
      headers: api,
      body: JSON.stringify({
        jobId: 'imp-dc',
        fileName: 'dc.csv',
        upload,
        dataset: 'dc',
        city: 'Washington DC',
        tz: 'America/New_York',
        format: 'auto',
      }),
    });
    expect(JSON.parse(imported.body)).toMatchObject({ ok: true, value: { dataset: 'dc', imported: 31_787 } });
    expect(readdirSync(uploadRoot)).toEqual([]);
    // The id is spent: a second import of it is refused in words.
    const again = await send(host.port, '/api/datasets.import', {
      method: 'POST',
      headers: api,
      body: JSON.stringify({
        jobId: 'imp-dc2',
        fileName: 'dc.csv',
        upload,
        dataset: 'dc',
        city: 'Washington DC',
        tz: 'America/New_York',
        format: 'auto',
      }),
    });
    expect(JSON.parse(again.body)).toEqual({
      ok: false,
      error: expect.stringMatching(/uploaded file is gone/),
    });
  }, 180_000);

  it('refuses an upload over its cap with 413 and leaves no temporary file', async () => {
    const over = MAX_UPLOAD + 1024 * 1024;
    const declared = await send(host.port, '/api/upload?name=huge.csv', {
      method: 'POST',
      headers: { ...api, 'Content-Length': String(over) },
      body: generated(over),
    }).catch((e: Error) => ({ status: -1, body: e.message, headers: {} }));
    expect(declared.status).toBe(413);
    const streamed = await send(host.port, '/api/upload?name=huge.csv', {
      method: 'POST',
      headers: { ...api, 'Transfer-Encoding': 'chunked' },
      body: generated(over),
    }).catch((e: Error) => ({ status: -1, body: e.message, headers: {} }));
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body).error).toMatch(/larger than the 150 MB limit/);
    expect(readdirSync(uploadRoot)).toEqual([]);
  }, 180_000);

  it('leaves no temporary file when the client disconnects mid-upload', async () => {
    await new Promise<void>((ok) => {
      const req = request({
        host: '127.0.0.1',
        port: host.port,
        path: '/api/upload?name=cut.csv',
        method: 'POST',
        headers: { Host: `127.0.0.1:${host.port}`, ...api, 'Content-Length': String(10 * 1024 * 1024) },
      });
      req.on('error', () => ok());
      req.write(Buffer.alloc(1024 * 1024, 'y'));
      setTimeout(() => {
        expect(readdirSync(uploadRoot).length).toBeGreaterThan(0); // it was arriving
        req.destroy();
        ok();
      }, 300);
    });
    for (let i = 0; i < 50 && readdirSync(uploadRoot).length > 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(readdirSync(uploadRoot)).toEqual([]);
  });

  it('answers bad % escapes and malformed paths with 400, and nothing with 500', async () => {
    const bad = await send(host.port, '/api/%E0%A4%A', { method: 'POST', headers: api, body: '{}' });
    expect(bad.status).toBe(400);
    expect((await send(host.port, `/%zz?token=${TOKEN}`)).status).toBe(400);
    expect(
      (await send(host.port, `/api/upload?name=a%2Fb`, { method: 'POST', headers: api, body: 'x' })).status,
    ).toBe(400);
    const probes = [
      '/api/%',
      '/api/%00',
      '/api/datasets.list%',
      '/api/..%2F..%2Fetc',
      '/tiles/%zz/1/2',
      '/tiles/1/2/3',
      '/tiles/99999999999999999999/1/2',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/%00',
      '//double//slash',
      '/api/progress%',
    ];
    for (const path of probes) {
      for (const method of ['GET', 'POST']) {
        const r = await send(host.port, path + (path.includes('?') ? '&' : '?') + `token=${TOKEN}`, {
          method,
          headers: api,
          body: method === 'POST' ? '{"x":' : undefined,
        });
        expect(r.status, `${method} ${path}`).toBeGreaterThanOrEqual(200);
        expect(r.status, `${method} ${path}`).toBeLessThan(500);
      }
    }
  });

  it("lets a fresh ?token= URL in although the browser still holds an older run's cookie", async () => {
    const r = await send(host.port, `/?token=${TOKEN}`, {
      headers: { Cookie: `${TOKEN_COOKIE}=token-of-an-earlier-run` },
    });
    expect(r.status).toBe(200);
    expect(r.body).toContain(`<meta name="shotcast-token" content="${TOKEN}"`);
    expect(String(r.headers['set-cookie'])).toContain(`${TOKEN_COOKIE}=${TOKEN};`);
    // The old cookie alone still opens nothing.
    const stale = await send(host.port, '/', {
      headers: { Cookie: `${TOKEN_COOKIE}=token-of-an-earlier-run` },
    });
    expect(stale.status).toBe(401);
    expect(existsSync(uploadRoot)).toBe(true);
  });
});
