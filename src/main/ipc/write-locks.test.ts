/**
 * The writes a window triggers wait for another program's write lock without blocking the process that
 * serves the window: while the lock is held, a read through the dispatcher answers in well under a
 * second, and the write completes once the lock is released.
 */
import { describe, expect, it } from 'vitest';
import { DC_GRID } from '../../../test/dc-april.ts';
import type { Channel, Request, Result } from '../../shared/contract.ts';
import { listLayers } from '../db/queries/layers.ts';
import { listModels } from '../db/queries/models.ts';
import { holdWriteLock } from '../db/testing.ts';
import type { Dispatcher } from './registry.ts';
import { withApp } from './testing.ts';

const LOCK_MS = 6000;

/**
 * Holds the write lock from another process for LOCK_MS, starts `write` and, until the lock is
 * released, times `datasets.list` every 100 ms. Returns the write's answer, when it came and when the
 * lock was released, and the reads' latencies.
 */
async function writeUnderLock<C extends Channel>(
  d: Dispatcher,
  dbPath: string,
  channel: C,
  request: Request<C>,
): Promise<{ answer: Result<unknown>; answeredAt: number; releasedAt: number; latencies: number[] }> {
  const lock = await holdWriteLock(dbPath, LOCK_MS);
  let releasedAt = 0;
  void lock.released.then((t) => (releasedAt = t));
  let answeredAt = 0;
  const writing = d.dispatch(channel, request).then((r) => {
    answeredAt = performance.now();
    return r;
  });
  const latencies: number[] = [];
  while (releasedAt === 0) {
    const t0 = performance.now();
    const list = await d.dispatch('datasets.list', {});
    latencies.push(performance.now() - t0);
    expect(list).toMatchObject({ ok: true, value: [{ name: 'dc' }] });
    await new Promise((r) => setTimeout(r, 100));
  }
  const answer = await writing;
  return { answer, answeredAt, releasedAt, latencies };
}

describe('writes from the window while another program holds the write lock', () => {
  it('a layer import waits for the lock without blocking reads, and is stored after the release', async () => {
    await withApp(async ({ d, db, dbPath }) => {
      const geojson = JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { DISTRICT: '1D' },
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [-77.05, 38.81],
                  [-76.9, 38.81],
                  [-76.9, 38.97],
                  [-77.05, 38.97],
                  [-77.05, 38.81],
                ],
              ],
            },
          },
        ],
      });
      const r = await writeUnderLock(d, dbPath, 'layers.import', {
        dataset: 'dc',
        kind: 'districts',
        fileName: 'districts.geojson',
        contentBase64: Buffer.from(geojson).toString('base64'),
      });
      expect(r.answer).toMatchObject({ ok: true, value: { features: 1, nameField: 'DISTRICT' } });
      expect(r.answeredAt).toBeGreaterThanOrEqual(r.releasedAt);
      expect(r.latencies.length).toBeGreaterThan(LOCK_MS / 400);
      expect(Math.max(...r.latencies)).toBeLessThan(1000);
      expect(listLayers(db, 1).map((l) => [l.kind, l.features])).toEqual([['districts', 1]]);
    });
  }, 60_000);

  it('a trained model waits for the lock to be registered without blocking reads, and is registered once after the release', async () => {
    await withApp(async ({ d, db, dbPath, jobs }) => {
      // The last training tick: the network had finished (reading only) before the lock was released.
      let trained = 0;
      jobs.onProgress((p) => {
        if (!p.state && p.progress.done === p.progress.total) trained = performance.now();
      });
      const r = await writeUnderLock(d, dbPath, 'train.run', {
        jobId: 'train-1',
        dataset: 'dc',
        step: 'day',
        grid: DC_GRID,
        preset: 'default',
        epochs: 2,
        lr: 0.001,
        trainTo: '2014-03-15',
        valTo: '2014-04-01',
        maxSeconds: 0,
      });
      if (!r.answer.ok) throw new Error(r.answer.error);
      const modelId = (r.answer.value as { modelId: number }).modelId;
      expect(trained).toBeGreaterThan(0);
      expect(trained).toBeLessThan(r.releasedAt);
      expect(r.answeredAt).toBeGreaterThanOrEqual(r.releasedAt);
      expect(Math.max(...r.latencies)).toBeLessThan(1000);
      expect(listModels(db, 1).map((m) => m.id)).toEqual([modelId]);
    });
  }, 60_000);
});
