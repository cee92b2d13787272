import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdWriteLock } from '../db/testing.ts';
import { runWebHost } from './main.ts';

const TOKEN = 'tok-locks';
let dir: string;
let db: string;
let host: Awaited<ReturnType<typeof runWebHost>>;

async function call(
  channel: string,
  body: unknown,
): Promise<{ ok: boolean; value?: unknown; error?: string }> {
  const r = await fetch(`http://127.0.0.1:${host.port}/api/${channel}`, {
    method: 'POST',
    headers: { 'X-Shotcast-Token': TOKEN, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await r.json()) as { ok: boolean; value?: unknown; error?: string };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shotcast-web-locks-'));
  mkdirSync(join(dir, 'renderer'));
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><html><head></head></html>');
  db = join(dir, 'web.db');
  host = await runWebHost({ port: 0, db, staticDir: join(dir, 'renderer'), token: TOKEN });
});

afterAll(async () => {
  await host.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the web host while another program holds the write lock', () => {
  it('answers reads within a second, and the sample import waits and completes once the lock is released', async () => {
    const lock = await holdWriteLock(db, 10_000);
    let importDone = 0;
    const importing = call('app.ensureDemo', { jobId: 'demo-1' }).then((r) => {
      importDone = performance.now();
      return r;
    });
    let releasedAt = 0;
    void lock.released.then((t) => (releasedAt = t));
    const latencies: number[] = [];
    while (releasedAt === 0) {
      const t0 = performance.now();
      const list = await call('datasets.list', {});
      latencies.push(performance.now() - t0);
      expect(list).toEqual({ ok: true, value: [] });
      await new Promise((r) => setTimeout(r, 250));
    }
    const r = await importing;
    expect(r).toEqual({ ok: true, value: { imported: true, dataset: 'dc-sample' } });
    expect(importDone).toBeGreaterThanOrEqual(releasedAt);
    expect(latencies.length).toBeGreaterThan(20);
    expect(Math.max(...latencies)).toBeLessThan(1000);
    const list = await call('datasets.list', {});
    expect(list.value).toMatchObject([{ name: 'dc-sample', events: 31_787 }]);
  }, 60_000);
});
