import { describe, expect, it } from 'vitest';
import { Rng } from '../runtime/rng.ts';
import { conv2d, conv3d } from './conv.ts';
import { Scope } from './model.ts';
import { conv2dRef, conv3dRef, expectClose, runLayer } from './testing.ts';

const rand = (n: number, seed: number) => new Rng(seed).fill(new Float32Array(n), -1, 1);

describe('Conv2D / Conv3D layers', () => {
  it('Conv2D same padding equals a direct convolution, with PyTorch weight layout and init bound', async () => {
    const x = rand(2 * 3 * 5 * 6, 1);
    const r = await runLayer(
      (s) => conv2d(s, 'c', { inChannels: 3, filters: 4, kernel: 3 }),
      x,
      [2, 3, 5, 6],
    );
    expect(r.shape).toEqual([2, 4, 5, 6]);
    const want = conv2dRef(
      x,
      [2, 3, 5, 6],
      r.weights.get('c.weight')!,
      [4, 3, 3, 3],
      r.weights.get('c.bias')!,
      [1, 1],
    );
    expectClose(r.output, want);
    const s = new Scope();
    conv2d(s, 'c', { inChannels: 3, filters: 4, kernel: 3 });
    expect(s.params.map((p) => [p.name, p.shape, p.init])).toEqual([
      ['c.weight', [4, 3, 3, 3], { kind: 'uniform', bound: 1 / Math.sqrt(27) }],
      ['c.bias', [4], { kind: 'uniform', bound: 1 / Math.sqrt(27) }],
    ]);
  });

  it('Conv3D with a (1,3,3) kernel and a full 3×3×3 kernel equal direct 3-D convolutions', async () => {
    const shape = [1, 2, 4, 5, 5];
    const x = rand(
      shape.reduce((a, b) => a * b),
      2,
    );
    for (const kernel of [
      [1, 3, 3],
      [3, 3, 3],
    ]) {
      const r = await runLayer((s) => conv3d(s, 'c', { inChannels: 2, filters: 3, kernel }), x, shape);
      expect(r.shape).toEqual([1, 3, 4, 5, 5]);
      const want = conv3dRef(
        x,
        shape,
        r.weights.get('c.weight')!,
        [3, 2, ...kernel],
        r.weights.get('c.bias')!,
        kernel.map((k) => (k - 1) / 2),
      );
      expectClose(r.output, want);
    }
  });

  it("'valid' padding without bias shrinks the output; even 'same' kernels are refused by name", async () => {
    const x = rand(1 * 1 * 4 * 4, 3);
    const r = await runLayer(
      (s) => conv2d(s, 'v', { inChannels: 1, filters: 1, kernel: 3, padding: 'valid', bias: false }),
      x,
      [1, 1, 4, 4],
    );
    expect(r.shape).toEqual([1, 1, 2, 2]);
    expectClose(r.output, conv2dRef(x, [1, 1, 4, 4], r.weights.get('v.weight')!, [1, 1, 3, 3], null, [0, 0]));
    expect(() => conv2d(new Scope(), 'e', { inChannels: 1, filters: 1, kernel: 2 })).toThrow(
      /e: 'same' padding needs odd/,
    );
  });
});
