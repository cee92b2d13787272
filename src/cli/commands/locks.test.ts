import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../main/db/connection.ts';
import { holdWriteLock } from '../../main/db/testing.ts';
import { loadDcSample } from '../../main/briefing/testing/dc-sample.ts';
import { storeRun } from '../../main/evaluate/store-run.ts';
import { runCliCaptured } from '../testing.ts';

let dir: string;
let db: string;

const cli = runCliCaptured;

function runCount(): number {
  const h = openDb(db);
  try {
    return h.prepare(`SELECT COUNT(*) FROM evaluation_runs`).pluck().get() as number;
  } finally {
    h.close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shotcast-locks-'));
  db = join(dir, 'dc.db');
  const handle = openDb(db);
  await loadDcSample(handle);
  handle.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a write lock held by another program', () => {
  it('evaluate finishes its backtest, waits for the lock and stores the run once it is released', async () => {
    const before = runCount();
    const lock = await holdWriteLock(db, 10_000);
    const r = await cli([
      'evaluate',
      ...[
        '--db',
        db,
        '--dataset',
        'dc',
        '--bbox',
        '38.81,-77.05,38.97,-76.90',
        '--rows',
        '12',
        '--cols',
        '12',
      ],
      ...['--step', 'day', '--models', 'counts-all', '--test-from', '2018-01-01', '--test-to', '2018-01-21'],
      ...['--bootstrap', '10', '--json'],
    ]);
    const done = performance.now();
    const released = await lock.released;
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { runId: number };
    expect(out.runId).toBeGreaterThan(0);
    // It answered only after the holder committed: it waited rather than failing at 5 s.
    expect(done).toBeGreaterThanOrEqual(released);
    expect(runCount()).toBe(before + 1);
  }, 90_000);

  it('keeps the results in a file when the lock outlasts every retry; `runs import` stores them later', async () => {
    const handle = openDb(db);
    const datasetId = handle.prepare(`SELECT id FROM datasets WHERE name = 'dc'`).pluck().get() as number;
    const before = runCount();
    const lock = await holdWriteLock(db, 2_500);
    const retries: number[] = [];
    const stored = await storeRun(
      handle,
      db,
      {
        datasetId,
        datasetHash: 'h',
        dataCutoff: '2018-01-01T00:00:00-05:00',
        testFrom: '2018-01-01',
        testTo: '2018-01-31',
        step: 'day',
        models: ['counts-all'],
        options: { note: 'kept' },
        result: { models: [{ name: 'counts-all', hitRate: { 5: 0.25 } }] },
        seconds: 1.5,
      },
      { attempts: 2, timeoutMs: 300, onRetry: (n) => retries.push(n) },
    );
    handle.close();
    expect(retries).toEqual([1]);
    if (!('file' in stored)) throw new Error('expected the run to be kept in a file');
    expect(stored.error).toMatch(/busy/);
    expect(dirname(stored.file)).toBe(dir);
    expect(existsSync(stored.file)).toBe(true);
    expect(runCount()).toBe(before);

    await lock.released;
    const imported = await cli(['runs', 'import', stored.file, '--db', db, '--json']);
    expect(imported.code).toBe(0);
    const first = JSON.parse(imported.stdout) as { runId: number; alreadyStored: boolean };
    expect(first.alreadyStored).toBe(false);
    expect(runCount()).toBe(before + 1);
    const shown = await cli(['runs', '--db', db, '--id', String(first.runId), '--json']);
    expect(JSON.parse(shown.stdout)).toMatchObject({ testTo: '2018-01-31', options: { note: 'kept' } });
    // Importing the same file again stores nothing new.
    const again = await cli(['runs', 'import', stored.file, '--db', db, '--json']);
    expect(JSON.parse(again.stdout)).toEqual({ ...first, alreadyStored: true });
    expect(runCount()).toBe(before + 1);
  }, 60_000);

  it('refuses a file that is not one of kept results, in one line', async () => {
    const r = await cli(['runs', 'import', join(dir, 'dc.db'), '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/cannot read the run file|not a file of unsaved evaluation results/);
    const usage = await cli(['runs', 'store', 'x.json', '--db', db]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/shotcast runs import FILE/);
  });
});
