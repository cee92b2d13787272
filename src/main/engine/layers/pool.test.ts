import { describe, expect, it } from 'vitest';
import { Rng } from '../runtime/rng.ts';
import { maxPool3d } from './pool.ts';
import { dropout } from './dropout.ts';
import { expectClose, runLayer } from './testing.ts';

describe('MaxPool3D', () => {
  it('pools over time (T,1,1) to the per-pixel maximum', async () => {
    const shape = [2, 3, 5, 2, 4];
    const x = new Rng(4).fill(new Float32Array(shape.reduce((a, b) => a * b)), -1, 1);
    const r = await runLayer(() => maxPool3d([5, 1, 1]), x, shape);
    expect(r.shape).toEqual([2, 3, 1, 2, 4]);
    const want: number[] = [];
    for (let nc = 0; nc < 6; nc++)
      for (let p = 0; p < 8; p++) want.push(Math.max(...[0, 1, 2, 3, 4].map((t) => x[(nc * 5 + t) * 8 + p])));
    expectClose(r.output, want);
  });

  it('pools 2×2×2 windows with default strides', async () => {
    const x = Float32Array.from({ length: 16 }, (_, i) => (i * 7) % 16);
    const r = await runLayer(() => maxPool3d([2, 2, 2]), x, [1, 1, 2, 2, 4]);
    expect(r.shape).toEqual([1, 1, 1, 1, 2]);
    const win = (j: number) => Math.max(...[0, 1, 4, 5, 8, 9, 12, 13].map((o) => x[o + 2 * j]));
    expectClose(r.output, [win(0), win(1)]);
  });
});

describe('Dropout', () => {
  const x = new Rng(6).fill(new Float32Array(64), 0.5, 1.5);
  const noise = new Rng(7).fill(new Float32Array(64));

  it('zeroes where the noise is below the rate and rescales the rest by 1/(1−rate)', async () => {
    const r = await runLayer(() => dropout('d', 0.25), x, [4, 16], { training: true, noise });
    expectClose(
      r.output,
      [...x].map((v, i) => (noise[i] >= 0.25 ? v / 0.75 : 0)),
    );
    const dropped = [...r.output].filter((v) => v === 0).length;
    expect(dropped).toBeGreaterThan(5);
    expect(dropped).toBeLessThan(30);
  });

  it('is the identity in inference', async () => {
    const r = await runLayer(() => dropout('d', 0.5), x, [4, 16], { training: false });
    expectClose(r.output, x, 0);
  });

  it('refuses a rate outside [0, 1)', () => {
    expect(() => dropout('d', 1)).toThrow(/Dropout 'd': rate must be in \[0, 1\)/);
  });
});
