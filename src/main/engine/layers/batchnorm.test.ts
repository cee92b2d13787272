import { describe, expect, it } from 'vitest';
import { Rng } from '../runtime/rng.ts';
import { batchNormalization } from './batchnorm.ts';
import { expectClose, runLayer } from './testing.ts';

/** Per-channel mean and biased variance over every axis but 1. */
function stats(x: Float32Array, [n, c, ...rest]: number[]) {
  const inner = rest.reduce((a, b) => a * b, 1);
  const mean = new Float64Array(c);
  const v = new Float64Array(c);
  for (let ch = 0; ch < c; ch++) {
    let s = 0;
    for (let b = 0; b < n; b++) for (let p = 0; p < inner; p++) s += x[(b * c + ch) * inner + p];
    mean[ch] = s / (n * inner);
    let q = 0;
    for (let b = 0; b < n; b++)
      for (let p = 0; p < inner; p++) q += (x[(b * c + ch) * inner + p] - mean[ch]) ** 2;
    v[ch] = q / (n * inner);
  }
  return { mean, v, count: n * inner, inner };
}

describe('BatchNormalization', () => {
  const shape = [3, 4, 2, 3, 3];
  const x = new Rng(11).fill(new Float32Array(shape.reduce((a, b) => a * b)), -2, 3);
  const weights = new Map([
    ['bn.weight', new Float32Array([1, 0.5, 2, -1])],
    ['bn.bias', new Float32Array([0, 1, -1, 0.5])],
    ['bn.running_mean', new Float32Array([0.1, 0.2, 0.3, 0.4])],
    ['bn.running_var', new Float32Array([1, 2, 3, 4])],
  ]);

  it('normalises with batch statistics in training and moves running stats as PyTorch (momentum 0.1, unbiased var)', async () => {
    const r = await runLayer((s) => batchNormalization(s, 'bn', { channels: 4 }), x, shape, {
      training: true,
      weights,
    });
    const { mean, v, count, inner } = stats(x, shape);
    const want = new Float64Array(x.length);
    const g = weights.get('bn.weight')!;
    const b = weights.get('bn.bias')!;
    for (let i = 0; i < x.length; i++) {
      const ch = Math.floor(i / inner) % 4;
      want[i] = ((x[i] - mean[ch]) / Math.sqrt(v[ch] + 1e-5)) * g[ch] + b[ch];
    }
    expectClose(r.output, want);
    const rm = weights.get('bn.running_mean')!;
    const rv = weights.get('bn.running_var')!;
    expectClose(
      r.states.get('bn.running_mean')!,
      [...rm].map((m, ch) => 0.9 * m + 0.1 * mean[ch]),
    );
    expectClose(
      r.states.get('bn.running_var')!,
      [...rv].map((q, ch) => 0.9 * q + 0.1 * v[ch] * (count / (count - 1))),
    );
  });

  it('uses the running statistics in inference and records no state update', async () => {
    const r = await runLayer((s) => batchNormalization(s, 'bn', { channels: 4 }), x, shape, {
      training: false,
      weights,
    });
    const inner = 2 * 3 * 3;
    const want = [...x].map((xi, i) => {
      const ch = Math.floor(i / inner) % 4;
      return (
        ((xi - weights.get('bn.running_mean')![ch]) / Math.sqrt(weights.get('bn.running_var')![ch] + 1e-5)) *
          weights.get('bn.weight')![ch] +
        weights.get('bn.bias')![ch]
      );
    });
    expectClose(r.output, want);
    expect(r.states.size).toBe(0);
  });

  it('names a channel mismatch', async () => {
    await expect(runLayer((s) => batchNormalization(s, 'bn', { channels: 5 }), x, shape)).rejects.toThrow(
      /must have 5 channels on axis 1/,
    );
  });
});
