import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { referencePreset } from '../presets/reference.ts';
import { fit } from './fit.ts';
import { movingBlob } from './synthetic.ts';
import { Trainer } from './trainer.ts';
import { readCheckpoint } from './checkpoint.ts';
import { writeFileSync } from 'node:fs';

const dir = mkdtempSync(join(tmpdir(), 'shotcast-trainer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const shape = { batch: 8, steps: 3, rows: 8, cols: 8 };
const data = movingBlob({ size: 32, ...shape, seed: 3 });
const make = (seed: number) => new Trainer({ ...referencePreset(shape), seed, threads: 2 });

describe('training the reference preset on a moving blob', () => {
  let full: { losses: number[]; weights: Map<string, Float32Array> };

  it('drives the loss down, and the same seed gives the same loss curve', async () => {
    const a = make(7);
    a.lr = 3e-3;
    const ra = await fit(a, data, { epochs: 6, batchSize: 8 });
    const b = make(7);
    b.lr = 3e-3;
    const rb = await fit(b, data, { epochs: 6, batchSize: 8 });
    expect(ra.stepLosses).toHaveLength(24);
    expect(rb.stepLosses).toEqual(ra.stepLosses);
    const head = ra.stepLosses.slice(0, 4).reduce((s, v) => s + v) / 4;
    const tail = ra.stepLosses.slice(-4).reduce((s, v) => s + v) / 4;
    expect(tail).toBeLessThan(0.6 * head);
    full = { losses: ra.stepLosses, weights: a.getWeights() };
    const other = make(8);
    other.lr = 3e-3;
    const rc = await fit(other, data, { epochs: 1, batchSize: 8 });
    expect(rc.stepLosses[0]).not.toEqual(ra.stepLosses[0]);
    await Promise.all([a.dispose(), b.dispose(), other.dispose()]);
  });

  it('a run resumed from a checkpoint ends where the uninterrupted run ends', async () => {
    const ckpt = join(dir, 'run.ckpt');
    const first = make(7);
    first.lr = 3e-3;
    await fit(first, data, { epochs: 3, batchSize: 8, checkpointPath: ckpt });
    await first.dispose();
    expect(readCheckpoint(ckpt).header).toMatchObject({ epoch: 3, stepCount: 12, model: 'seednet' });
    // A different seed proves the checkpoint, not the seed, restores weights, moments and RNG.
    const resumed = make(12345);
    const { epoch } = resumed.loadCheckpoint(ckpt);
    const rest = await fit(resumed, data, { epochs: 6, batchSize: 8, startEpoch: epoch });
    expect(rest.stepLosses).toEqual(full.losses.slice(12));
    const w = resumed.getWeights();
    for (const [name, v] of full.weights) expect(w.get(name), name).toEqual(v);
    await resumed.dispose();
  });

  it('evaluates in inference mode and exports a standalone .onnx that reproduces predict()', async () => {
    const t = make(7);
    t.lr = 3e-3;
    await fit(t, data, { epochs: 2, batchSize: 8 });
    const x = data.arrays.events.subarray(0, 8 * 3 * 3 * 64);
    const target = data.arrays.target.subarray(0, 8 * 64);
    const ev = await t.evaluate({ events: x, target });
    expect(ev.prediction).toHaveLength(8 * 64);
    expect(Number.isFinite(ev.loss)).toBe(true);
    // Evaluation does not train: the same call twice gives the same answer.
    expect((await t.evaluate({ events: x, target })).loss).toBe(ev.loss);
    const logits = await t.predict({ events: x });
    expect(logits).toEqual(ev.prediction);
    const path = join(dir, 'model.onnx');
    const res = t.exportInference(path, { batch: 8 });
    expect(res.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(res.inputs).toEqual([{ name: 'events', shape: [8, 3, 3, 8, 8] }]);
    expect(res.outputs.map((o) => o.name)).toEqual(['logits', 'probability']);
    const s = await InferenceSession.create(path);
    const out = await s.run({ events: new Tensor('float32', Float32Array.from(x), [8, 3, 3, 8, 8]) });
    const got = out.logits.data as Float32Array;
    const prob = out.probability.data as Float32Array;
    for (let i = 0; i < got.length; i++) {
      expect(Math.abs(got[i] - logits[i])).toBeLessThan(1e-4);
      expect(Math.abs(prob[i] - 1 / (1 + Math.exp(-logits[i])))).toBeLessThan(1e-5);
    }
    await s.release();
    await t.dispose();
  });

  it('refuses a foreign checkpoint and a malformed batch with messages that say what is wrong', () => {
    const t = make(1);
    const bad = join(dir, 'bad.ckpt');
    writeFileSync(bad, 'not a checkpoint');
    expect(() => t.loadCheckpoint(bad)).toThrow(/not a shotcast checkpoint/);
    return expect(t.step({ events: new Float32Array(10), target: new Float32Array(64) })).rejects.toThrow(
      /'events' has 10 values/,
    );
  });
});
