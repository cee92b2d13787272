import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aprilDb, DC_GRID } from '../../../test/dc-april.ts';
import type { JobInfo, JobProgress, Request, TrainResult } from '../../shared/contract.ts';
import { openDb } from '../db/connection.ts';
import { listModels } from '../db/queries/models.ts';
import { readCheckpoint } from '../engine/runtime/checkpoint.ts';
import { createDispatcher } from './registry.ts';
import { createHandlers } from './handlers.ts';
import { Jobs } from './jobs.ts';

/** The epoch of the run's checkpoint in the database's model folder, -1 when there is none. */
function checkpointEpoch(dir: string): number {
  const runs = join(dir, 'dc-models', 'runs');
  if (!existsSync(runs)) return -1;
  const file = readdirSync(runs).find((f) => f.endsWith('.ckpt'));
  if (!file) return -1;
  try {
    return readCheckpoint(join(runs, file)).header.epoch;
  } catch {
    return -1;
  }
}

describe('train.run with resume', () => {
  it('a training cancelled in the job list resumes through the channel from its saved epoch and registers one model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shotcast-ipc-train-'));
    const dbPath = await aprilDb(dir);
    const db = openDb(dbPath);
    const jobs = new Jobs();
    try {
      const d = createDispatcher(
        createHandlers({
          db,
          dbPath,
          resourcesDir: join(dir, 'resources'),
          transport: 'web',
          version: '0.0.0',
          jobs,
          tiles: () => null,
        }),
      );
      const request: Request<'train.run'> = {
        jobId: 'train-1',
        dataset: 'dc',
        step: 'day',
        grid: DC_GRID,
        // The seed paper's network: no early stopping on this tiny history, so the run is still going
        // when the job list cancels it after its first saved epoch.
        preset: 'reference',
        epochs: 6,
        lr: 0.001,
        trainTo: '2014-03-15',
        valTo: '2014-04-01',
        maxSeconds: 0,
      };
      // Cancelled as the analyst would, from the job list, once an epoch is saved.
      const events: JobProgress[] = [];
      jobs.onProgress((p) => {
        events.push(p);
        if (p.jobId === 'train-1' && !p.state && checkpointEpoch(dir) >= 1) jobs.cancel('train-1');
      });
      const first = await d.dispatch('train.run', request);
      expect(first).toMatchObject({ ok: false, error: expect.stringMatching(/cancel/i) });
      const saved = checkpointEpoch(dir);
      expect(saved).toBeGreaterThanOrEqual(1);
      expect(saved).toBeLessThan(6);
      expect(listModels(db, 1)).toHaveLength(0);

      // The job list keeps the cancelled job with its settings: what the Resume button sends again.
      const listed = await d.dispatch('jobs.list', {});
      if (!listed.ok) throw new Error(listed.error);
      const cancelled = (listed.value as JobInfo[]).find((j) => j.id === 'train-1')!;
      expect(cancelled).toMatchObject({ kind: 'train', state: 'cancelled' });
      const { jobId: _, ...settings } = request;
      expect(cancelled.train).toEqual(settings);

      const resumed = await d.dispatch('train.run', { ...cancelled.train!, jobId: 'train-2', resume: true });
      if (!resumed.ok) throw new Error(resumed.error);
      const r = resumed.value as TrainResult;
      expect(r.resumedFromEpoch).toBe(saved);
      expect(r.resumedFromEpoch).toBeGreaterThan(0);
      expect(Number(r.metrics.epochs)).toBeGreaterThan(saved);
      // One model, the resumed run's; its checkpoint is gone once the model is registered.
      expect(listModels(db, 1).map((m) => m.id)).toEqual([r.modelId]);
      expect(checkpointEpoch(dir)).toBe(-1);
      const job = jobs.list().find((j) => j.id === 'train-2')!;
      expect(job).toMatchObject({
        state: 'done',
        label: expect.stringMatching(/^resume training a ConvLSTM/),
      });
      expect(job.result).toEqual(r);
      expect(events.filter((e) => e.state).map((e) => [e.jobId, e.state])).toEqual([
        ['train-1', 'cancelled'],
        ['train-2', 'done'],
      ]);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
