/**
 * `models.fineTune`, the Models panel's door to `shotcast update`'s fine-tune: a job whose network learns
 * the steps since its parent's cut-off in a worker thread, registered as the parent's next version.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DC_GRID } from '../../../test/dc-april.ts';
import type { FineTuneValue, JobProgress, TrainResult } from '../../shared/contract.ts';
import { listModels } from '../db/queries/models.ts';
import { withApp } from './testing.ts';

describe('models.fineTune', () => {
  it('fine-tunes the newest model on the new steps, registers its next version, and refuses when none are new', async () => {
    await withApp(async ({ d, db, jobs }) => {
      const trained = await d.dispatch('train.run', {
        jobId: 'train-1',
        dataset: 'dc',
        step: 'day',
        grid: DC_GRID,
        preset: 'reference',
        epochs: 2,
        lr: 0.001,
        trainTo: '2014-02-15',
        valTo: '2014-03-01',
        maxSeconds: 0,
      });
      if (!trained.ok) throw new Error(trained.error);
      const parent = (trained.value as TrainResult).modelId;

      const events: JobProgress[] = [];
      jobs.onProgress((p) => events.push(p));
      const r = await d.dispatch('models.fineTune', { jobId: 'finetune-1', dataset: 'dc', epochs: 1 });
      if (!r.ok) throw new Error(r.error);
      const v = r.value as FineTuneValue;
      // March and April are new (61 days); the newest 28 are held out and only scored.
      expect(v).toMatchObject({ parentId: parent, newSteps: 61, heldOutSteps: 28, dataCutoff: '2014-05-01' });
      for (const s of [v.before, v.after])
        for (const h of [s.hitRate1, s.hitRate5]) expect(h).toBeGreaterThanOrEqual(0);
      const models = listModels(db, 1);
      expect(models.map((m) => [m.id, m.parentId])).toEqual([
        [parent, null],
        [v.modelId, parent],
      ]);
      // New weights, unless early stopping kept the parent's (then it says so, and the file is the same).
      expect(models[1].onnxSha256 === models[0].onnxSha256).toBe(v.keptParent);
      expect(v.keptParent).toBe(Number(models[1].metrics.bestEpoch) === 0);
      expect(existsSync(models[1].onnxPath)).toBe(true);
      // The worker's progress reached the job list, and the job ended done with its answer.
      expect(events.some((e) => e.jobId === 'finetune-1' && !e.state)).toBe(true);
      expect(jobs.list().find((j) => j.id === 'finetune-1')).toMatchObject({
        kind: 'finetune',
        state: 'done',
        result: v,
      });

      // Nothing imported since: refused in one line, nothing registered.
      const again = await d.dispatch('models.fineTune', { jobId: 'finetune-2', dataset: 'dc' });
      expect(again).toMatchObject({
        ok: false,
        error: expect.stringMatching(
          /^only 0 new step\(s\) since model \d+'s cut-off 2014-05-01; nothing to fine-tune on$/,
        ),
      });
      expect(listModels(db, 1)).toHaveLength(2);
    });
  }, 120_000);

  it('refuses a dataset with no model, naming it', async () => {
    await withApp(async ({ d }) => {
      const r = await d.dispatch('models.fineTune', { jobId: 'finetune-1', dataset: 'dc' });
      expect(r).toMatchObject({
        ok: false,
        error: "dataset 'dc' has no trained model yet; run 'shotcast train' first",
      });
    });
  });
});
