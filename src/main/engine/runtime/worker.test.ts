import { describe, expect, it } from 'vitest';
import { referenceSetupModule } from '../presets/reference.ts';
import { movingBlob } from './synthetic.ts';
import type { TrainProgress } from './fit.ts';
import { trainInWorker } from './worker-client.ts';
import type { WorkerJob } from './worker-protocol.ts';

const shape = { batch: 4, steps: 2, rows: 6, cols: 6 };
const job = (epochs: number): WorkerJob => ({
  setupModule: referenceSetupModule,
  setupOptions: shape,
  seed: 5,
  threads: 1,
  data: movingBlob({ size: 8, ...shape, seed: 2 }),
  fit: { epochs, batchSize: 4 },
});

describe('training in a worker thread', () => {
  it('streams progress events and returns the trained weights', async () => {
    const events: TrainProgress[] = [];
    const h = trainInWorker(job(2), (p) => events.push(p));
    const { result, weights, stepCount } = await h.done;
    expect(stepCount).toBe(4);
    expect(events.map((e) => [e.step, e.epoch])).toEqual([
      [1, 1],
      [2, 1],
      [3, 2],
      [4, 2],
    ]);
    for (const e of events) {
      expect(e.loss).toBeGreaterThan(0);
      expect(e.examplesPerSecond).toBeGreaterThan(0);
      expect(e.etaSeconds).toBeGreaterThanOrEqual(0);
    }
    expect(events[3].etaSeconds).toBe(0);
    expect(result.stepLosses).toEqual(events.map((e) => e.loss));
    expect(weights.get('head.weight')).toHaveLength(64 * 9);
  });

  it('stops between steps when cancelled', async () => {
    let h: ReturnType<typeof trainInWorker> | null = null;
    h = trainInWorker(job(50), (p) => {
      if (p.step === 2) h?.cancel();
    });
    const { result, stepCount } = await h.done;
    expect(result.cancelled).toBe(true);
    expect(stepCount).toBeLessThan(100);
    expect(stepCount).toBeGreaterThanOrEqual(2);
  });

  it('reports a bad setup as an error, not a hang', async () => {
    const h = trainInWorker({ ...job(1), setupOptions: { ...shape, rows: 0 } });
    await expect(h.done).rejects.toThrow(/option 'rows' must be a positive integer/);
  });
});
