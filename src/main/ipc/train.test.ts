import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DC_GRID } from '../../../test/dc-april.ts';
import type { JobInfo, JobProgress, Request, TrainResult } from '../../shared/contract.ts';
import { listModels } from '../db/queries/models.ts';
import { savedCheckpointEpoch } from '../networks/testing.ts';
import { withApp } from './testing.ts';

const checkpointEpoch = (dir: string) => savedCheckpointEpoch(join(dir, 'dc-models', 'runs'));

describe('train.run with resume', () => {
  it('a training cancelled in the job list resumes through the channel from its saved epoch and registers one model', async () => {
    await withApp(async ({ d, db, jobs, dir }) => {
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
    });
  }, 120_000);
});
