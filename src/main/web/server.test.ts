import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHANNELS, type JobProgress } from '../../shared/contract.ts';
import { Jobs } from '../ipc/jobs.ts';
import type { Dispatcher } from '../ipc/registry.ts';
import { startWebHost, type WebHost } from './server.ts';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request, so the test controls the Host header (fetch would not let it). */
function send(
  port: number,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
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
    req.end(opts.body);
  });
}

describe('loopback web host', () => {
  let dir: string;
  let host: WebHost;
  const jobs = new Jobs();
  const calls: { channel: string; body: unknown }[] = [];
  const dispatcher: Dispatcher = {
    channels: CHANNELS,
    async dispatch(channel, body) {
      calls.push({ channel, body });
      return { ok: true, value: { echo: channel } };
    },
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shotcast-web-'));
    mkdirSync(join(dir, 'renderer', 'assets'), { recursive: true });
    writeFileSync(
      join(dir, 'renderer', 'index.html'),
      '<!doctype html><html><head><title>t</title></head></html>',
    );
    writeFileSync(join(dir, 'renderer', 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(dir, 'secret.txt'), 'outside');
    host = await startWebHost({
      dispatcher,
      jobs,
      staticDir: join(dir, 'renderer'),
      port: 0,
      token: 'tok-123',
    });
  });

  afterAll(async () => {
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints a 127.0.0.1 URL carrying the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=tok-123`);
  });

  it('refuses a request without the token', async () => {
    for (const path of ['/', '/index.html', '/assets/app.js', '/api/progress']) {
      expect((await send(host.port, path)).status, path).toBe(401);
    }
    const api = await send(host.port, '/api/datasets.list', { method: 'POST', body: '{}' });
    expect(api.status).toBe(401);
    expect(calls).toEqual([]);
  });

  it('refuses a wrong token', async () => {
    expect((await send(host.port, '/?token=tok-124')).status).toBe(401);
    const r = await send(host.port, '/api/datasets.list', {
      method: 'POST',
      headers: { 'X-Shotcast-Token': 'tok-12' },
      body: '{}',
    });
    expect(r.status).toBe(401);
  });

  it('refuses a non-loopback Host header even with the right token (DNS rebinding)', async () => {
    for (const h of [
      'evil.example',
      `evil.example:${host.port}`,
      `192.168.1.5:${host.port}`,
      `127.0.0.1:${host.port + 1}`,
    ]) {
      const r = await send(host.port, '/?token=tok-123', { headers: { Host: h } });
      expect(r.status, h).toBe(403);
      const api = await send(host.port, '/api/datasets.list', {
        method: 'POST',
        headers: { Host: h, 'X-Shotcast-Token': 'tok-123' },
        body: '{}',
      });
      expect(api.status, h).toBe(403);
    }
    expect(calls).toEqual([]);
  });

  it('serves the app with the token: cookie set, token in the page, strict CSP', async () => {
    const r = await send(host.port, '/?token=tok-123');
    expect(r.status).toBe(200);
    expect(String(r.headers['set-cookie'])).toMatch(/shotcast_token=tok-123; HttpOnly; SameSite=Strict/);
    expect(r.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(r.body).toContain('<meta name="shotcast-token" content="tok-123" />');
    const asset = await send(host.port, '/assets/app.js', { headers: { Cookie: 'shotcast_token=tok-123' } });
    expect(asset.status).toBe(200);
    expect(asset.body).toBe('console.log(1)');
  });

  it('does not serve files outside the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const r = await send(host.port, path, { headers: { Cookie: 'shotcast_token=tok-123' } });
      expect(r.body, path).not.toBe('outside');
      expect([403, 404], path).toContain(r.status);
    }
  });

  it('needs the token header (not only the cookie) for API calls', async () => {
    const r = await send(host.port, '/api/datasets.list', {
      method: 'POST',
      headers: { Cookie: 'shotcast_token=tok-123' },
      body: '{}',
    });
    expect(r.status).toBe(401);
  });

  it('passes API calls to the dispatcher', async () => {
    const r = await send(host.port, '/api/forecast.at', {
      method: 'POST',
      headers: { 'X-Shotcast-Token': 'tok-123', 'Content-Type': 'application/json' },
      body: JSON.stringify({ dataset: 'x' }),
    });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ ok: true, value: { echo: 'forecast.at' } });
    expect(calls.at(-1)).toEqual({ channel: 'forecast.at', body: { dataset: 'x' } });
    const bad = await send(host.port, '/api/forecast.at', {
      method: 'POST',
      headers: { 'X-Shotcast-Token': 'tok-123' },
      body: '{not json',
    });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).ok).toBe(false);
  });

  it('streams job progress as server-sent events', async () => {
    const received = await new Promise<string>((ok, fail) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: host.port,
          path: '/api/progress?token=tok-123',
          headers: { Host: `127.0.0.1:${host.port}` },
        },
        (res) => {
          expect(res.headers['content-type']).toBe('text/event-stream');
          let buf = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            buf += c;
            if (buf.includes('data: ')) {
              req.destroy();
              ok(buf);
            }
          });
          setTimeout(
            () =>
              void jobs.run('job-7', (progress) => {
                progress({ job: 'evaluate', phase: 'fold 1', done: 1, total: 1 });
              }),
            50,
          );
        },
      );
      req.on('error', fail);
      req.end();
    });
    const line = received.split('\n').find((l) => l.startsWith('data: '))!;
    const p = JSON.parse(line.slice(6)) as JobProgress;
    expect(p).toEqual({ jobId: 'job-7', progress: { job: 'evaluate', phase: 'fold 1', done: 1, total: 1 } });
  });
});
