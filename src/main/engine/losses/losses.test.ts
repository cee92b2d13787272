import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { checkGradients } from '../autodiff/check.ts';
import { gradients } from '../autodiff/tape.ts';
import { Graph } from '../onnx/graph.ts';
import { binaryCrossEntropyWithLogits } from './bce.ts';
import { softmaxCrossEntropy } from './softmax-ce.ts';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** PyTorch's documented formula for BCEWithLogitsLoss(pos_weight), evaluated in float64 JS. */
function bceRef(x: number[], y: number[], pw: number): { loss: number; grad: number[] } {
  const n = x.length;
  let loss = 0;
  const grad: number[] = [];
  x.forEach((xi, i) => {
    const lw = 1 + (pw - 1) * y[i];
    loss += (1 - y[i]) * xi + lw * (Math.log1p(Math.exp(-Math.abs(xi))) + Math.max(-xi, 0));
    grad.push((lw * sigmoid(xi) - pw * y[i]) / n);
  });
  return { loss: loss / n, grad };
}

async function lossAndGrad(
  dtype: 'float32' | 'float64',
  x: number[],
  y: number[],
  build: (l: ReturnType<Graph['input']>, t: ReturnType<Graph['input']>) => ReturnType<Graph['input']>,
  shape = [x.length],
) {
  const g = new Graph();
  const l = g.input('logits', dtype, shape);
  const t = g.input('targets', dtype, shape);
  const loss = build(l, t);
  const [dl] = gradients(loss, [l]);
  g.output(loss, 'loss');
  g.output(dl, 'dl');
  const s = await ort.InferenceSession.create(g.toBytes(), { intraOpNumThreads: 1 });
  const A = dtype === 'float32' ? Float32Array : Float64Array;
  const r = await s.run({
    logits: new ort.Tensor(dtype, A.from(x), shape),
    targets: new ort.Tensor(dtype, A.from(y), shape),
  });
  return {
    loss: Number(r.loss.data[0]),
    grad: Array.from(r.dl.data as Float64Array, Number),
    dims: r.loss.dims,
  };
}

describe('binaryCrossEntropyWithLogits', () => {
  const x = [-3.2, -0.4, 0, 0, 0.7, 2.5, 40, -40];
  const y = [0, 1, 0, 1, 0.3, 1, 0, 1];

  it('matches the closed form in value and gradient, including the derivative ½ at logit 0', async () => {
    const ref = bceRef(x, y, 20);
    const r = await lossAndGrad('float64', x, y, (l, t) =>
      binaryCrossEntropyWithLogits(l, t, { posWeight: 20 }),
    );
    expect(r.dims).toEqual([]);
    expect(r.loss).toBeCloseTo(ref.loss, 12);
    r.grad.forEach((gi, i) => expect(gi).toBeCloseTo(ref.grad[i], 12));
  });

  it('stays finite and exact for logits of ±200 in float32', async () => {
    const big = [200, -200, 150, -150];
    const t = [0, 1, 1, 0];
    const ref = bceRef(big, t, 3);
    const r = await lossAndGrad('float32', big, t, (l, tt) =>
      binaryCrossEntropyWithLogits(l, tt, { posWeight: 3 }),
    );
    expect(Number.isFinite(r.loss)).toBe(true);
    expect(r.loss / ref.loss).toBeCloseTo(1, 5);
    r.grad.forEach((gi, i) => expect(gi).toBeCloseTo(ref.grad[i], 6));
  });

  it('passes a finite-difference check (sum reduction, posWeight 20)', async () => {
    const r = await checkGradients({
      dtype: 'float64',
      inputs: [
        { shape: [2, 5], values: (rnd) => rnd() * 8 - 4 },
        { shape: [2, 5], values: (rnd) => rnd() },
      ],
      wrt: [0],
      build: ([l, t]) => binaryCrossEntropyWithLogits(l, t, { posWeight: 20, reduction: 'sum' }),
    });
    expect(r.failures).toEqual([]);
  });

  it('names the loss and both shapes on a mismatch', () => {
    const g = new Graph();
    expect(() =>
      binaryCrossEntropyWithLogits(g.input('a', 'float32', [2, 3]), g.input('b', 'float32', [3, 2])),
    ).toThrow('BinaryCrossEntropy: logits float32[2,3] and targets float32[3,2] differ');
  });
});

describe('softmaxCrossEntropy', () => {
  it('matches −Σ y log softmax and its gradient softmax − y over the class axis', async () => {
    // [N=2, C=3, W=2]: classes on axis 1.
    const x = [1, -2, 0.5, 3, -1, 0, 2, 1, 0, -0.5, 4, 0.25];
    const y = [1, 0, 0, 1, 0, 0, 0, 0, 1, 0.5, 0, 0.5];
    const r = await lossAndGrad('float64', x, y, (l, t) => softmaxCrossEntropy(l, t), [2, 3, 2]);
    let loss = 0;
    const grad = new Array<number>(12).fill(0);
    for (let n = 0; n < 2; n++)
      for (let w = 0; w < 2; w++) {
        const idx = [0, 1, 2].map((c) => n * 6 + c * 2 + w);
        const z = idx.reduce((s, i) => s + Math.exp(x[i]), 0);
        const ysum = idx.reduce((s, i) => s + y[i], 0);
        for (const i of idx) {
          loss -= (y[i] * (x[i] - Math.log(z))) / 4;
          grad[i] = ((Math.exp(x[i]) / z) * ysum - y[i]) / 4;
        }
      }
    expect(r.loss).toBeCloseTo(loss, 12);
    r.grad.forEach((gi, i) => expect(gi).toBeCloseTo(grad[i], 12));
  });

  it('passes a finite-difference check', async () => {
    const r = await checkGradients({
      dtype: 'float64',
      inputs: [{ shape: [3, 4] }, { shape: [3, 4], values: (rnd) => rnd() }],
      wrt: [0],
      build: ([l, t]) => softmaxCrossEntropy(l, t, { axis: -1 }),
    });
    expect(r.failures).toEqual([]);
  });
});
