import { describe, expect, it } from 'vitest';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { Graph } from '../../engine/onnx/graph.ts';
import { parseConfig } from './config.ts';
import { ConvLstmForecaster, sourceOf } from './convlstm.ts';
import { makeBatch } from './features.ts';
import { makeLoss } from './net.ts';
import { syntheticHistory } from './testing.ts';
import { baselineChannel, topMask } from './topcells.ts';
import { graphSpec, trainerBatch } from './train-loop.ts';

describe('top-cell mask', () => {
  it('marks the top fraction of the cells with any background, ties by cell order', () => {
    const v = [0, 3, 1, 3, 0, 2, 0.5, 0, 5, 1];
    const out = new Float32Array(12).fill(9);
    // 7 cells > 0; ⌈0.5·7⌉ = 4: 5 (cell 8), 3 (cell 1), 3 (cell 3), 2 (cell 5).
    topMask([7, ...v], 1, 10, 0.5, out, 2);
    expect(Array.from(out)).toEqual([9, 9, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0]);
    topMask(new Float32Array(10), 0, 10, 0.5, out, 0);
    expect(Array.from(out.subarray(0, 10)).every((x) => x === 0)).toBe(true);
  });

  it('goes into the target as one more channel, read from the sample’s baseline background', () => {
    const h = syntheticHistory(50, 6, 6, 3);
    const c = parseConfig({
      hidden: '4',
      head: '4',
      lags: '3',
      batch: '4',
      taus: '30/90',
      windows: '7/28',
      holidays: '0',
      offset: '0',
    });
    const src = sourceOf(h, c);
    const b = makeBatch(src, [40, 41]);
    const plain = trainerBatch(c, b, 2).target;
    expect(plain.length).toBe(2 * 5 * 36);
    expect(graphSpec(c, src).targetShape).toEqual([4, 5, 6, 6]);
    const w = { ...c, topWeight: 2, topFrac: 0.25 };
    expect(graphSpec(w, src).targetShape).toEqual([4, 6, 6, 6]);
    const t = trainerBatch(w, b, 2).target;
    expect(baselineChannel(c.features)).toBe(1);
    for (let i = 0; i < 2; i++) {
      expect(Array.from(t.subarray(i * 216, i * 216 + 180))).toEqual(
        Array.from(plain.subarray(i * 180, (i + 1) * 180)),
      );
      const kde90 = b.stat.subarray((i * 9 + 1) * 36, (i * 9 + 2) * 36);
      const mask = t.subarray(i * 216 + 180, (i + 1) * 216);
      const positive = Array.from(kde90).filter((x) => x > 0).length;
      expect(mask.reduce((a, x) => a + x, 0)).toBe(Math.ceil(0.25 * positive));
      const minIn = Math.min(...Array.from(kde90).filter((_, j) => mask[j] === 1));
      const maxOut = Math.max(...Array.from(kde90).filter((_, j) => mask[j] === 0));
      expect(minIn).toBeGreaterThanOrEqual(maxOut);
    }
  });
});

describe('top-weighted losses', () => {
  it('match the formulas computed directly', async () => {
    const n = 2;
    const cells = 6;
    const [h, w] = [2, 3];
    const shape = [n, 4, h, w];
    const pred = Float32Array.from({ length: n * 4 * cells }, (_, i) => Math.cos(i * 1.3) * 2);
    const target = new Float32Array(n * 6 * cells);
    const y = (b: number, ch: number, i: number) => target[(b * 6 + ch) * cells + i];
    for (let b = 0; b < n; b++)
      for (let i = 0; i < cells; i++) {
        const c = (b * 5 + i * 3) % 4 === 0 ? 2 : (b + i) % 3 === 0 ? 1 : 0;
        target[(b * 6 + 0) * cells + i] = c > 0 ? 1 : 0;
        target[(b * 6 + 1) * cells + i] = c;
        target[(b * 6 + 5) * cells + i] = (i + b) % 2;
      }
    const z = (b: number, i: number) => pred[b * 4 * cells + i];
    const run = async (risk: 'poisson' | 'bce', topWeight: number, rankWeight: number) => {
      const g = new Graph('loss');
      const p = g.input('p', 'float32', shape);
      const t = g.input('t', 'float32', [n, 6, h, w]);
      g.output(
        makeLoss({ risk, posWeight: 3, typeWeight: 0, types: 3, topWeight, rankWeight })(p, t),
        'loss',
      );
      const s = await InferenceSession.create(g.toBytes());
      const out = await s.run({
        p: new Tensor('float32', pred, shape),
        t: new Tensor('float32', target, [n, 6, h, w]),
      });
      await s.release();
      return (out.loss.data as Float32Array)[0];
    };
    let wsum = 0;
    let pois = 0;
    let bce = 0;
    let rank = 0;
    let topEvents = 0;
    const sp = (x: number) => Math.log1p(Math.exp(x));
    for (let b = 0; b < n; b++) {
      let lse = 0;
      for (let i = 0; i < cells; i++) if (y(b, 5, i)) lse += Math.exp(z(b, i));
      lse = Math.log(lse);
      for (let i = 0; i < cells; i++) {
        const wi = 1 + 4 * y(b, 5, i);
        wsum += wi;
        pois += wi * (Math.exp(z(b, i)) - y(b, 1, i) * z(b, i));
        bce += wi * (3 * y(b, 0, i) * sp(-z(b, i)) + (1 - y(b, 0, i)) * sp(z(b, i)));
        if (y(b, 5, i)) {
          rank -= y(b, 1, i) * (z(b, i) - lse);
          topEvents += y(b, 1, i);
        }
      }
    }
    expect(await run('poisson', 4, 0)).toBeCloseTo(pois / wsum, 5);
    expect(await run('bce', 4, 0)).toBeCloseTo(bce / wsum, 5);
    expect(await run('poisson', 4, 0.7)).toBeCloseTo(pois / wsum + (0.7 * rank) / (topEvents + 1), 5);
    expect(() => parseConfig({ topFrac: '0' })).toThrow(/topFrac must be in/);
    expect(() => parseConfig({ preset: 'reference', topWeight: '2' })).toThrow(/default preset/);
  });
});

describe('convlstm with the top-cell loss', () => {
  it('trains and predicts finite rates, reproducibly', async () => {
    const h = syntheticHistory(50, 6, 6, 4);
    const params = {
      hidden: '4',
      head: '4',
      lags: '3',
      batch: '4',
      valSteps: '12',
      taus: '30/90',
      windows: '7/28',
      epochs: '2',
      topWeight: '3',
      rankWeight: '0.5',
      topFrac: '0.2',
    };
    const run = async () => {
      const m = new ConvLstmForecaster(parseConfig(params));
      await m.fit(h);
      const p = await m.predict(h, 1);
      const losses = m.lastOutcome!.trainLosses;
      await m.dispose();
      return { p, losses };
    };
    const a = await run();
    const b = await run();
    expect(a.losses.length).toBe(2);
    expect(a.losses.every((x) => Number.isFinite(x) && x > 0)).toBe(true);
    expect(a.p.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    expect(Array.from(a.p)).toEqual(Array.from(b.p));
  });
});
