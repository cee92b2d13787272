import { describe, expect, it } from 'vitest';
import { Rng } from '../runtime/rng.ts';
import { sgd } from './sgd.ts';
import { runOptimizer } from './testing.ts';

/** torch.optim.SGD's update in float64 (dampening 0). */
function reference(
  p0: Float32Array,
  grads: Float32Array[],
  lr: number,
  mom: number,
  nesterov: boolean,
  wd: number,
) {
  const p = Float64Array.from(p0);
  const buf = new Float64Array(p.length);
  grads.forEach((g, t) => {
    for (let k = 0; k < p.length; k++) {
      let d = g[k] + wd * p[k];
      if (mom > 0) {
        buf[k] = t === 0 ? d : mom * buf[k] + d;
        d = nesterov ? d + mom * buf[k] : buf[k];
      }
      p[k] -= lr * d;
    }
  });
  return p;
}

describe('sgd', () => {
  const rng = new Rng(3);
  const init = rng.fill(new Float32Array(10), -1, 1);
  const grads = [0, 1, 2].map(() => rng.fill(new Float32Array(10), -1, 1));

  for (const [mom, nesterov, wd] of [
    [0, false, 0],
    [0.9, false, 0],
    [0.9, true, 0.01],
  ] as const) {
    it(`matches torch.optim.SGD (momentum ${mom}, nesterov ${nesterov}, weight decay ${wd})`, async () => {
      const got = await runOptimizer(
        sgd({ lr: 0.1, momentum: mom, nesterov, weightDecay: wd }),
        [init],
        grads.map((g) => [g]),
      );
      const want = reference(init, grads, 0.1, mom, nesterov, wd);
      got.params[0].forEach((v, k) =>
        expect(Math.abs(v - want[k])).toBeLessThan(2e-6 * Math.max(1, Math.abs(want[k]))),
      );
      expect(got.slots[0].length).toBe(mom > 0 ? 1 : 0);
    });
  }

  it('clips the global norm across parameters', async () => {
    const g1 = new Float32Array([3, 0]);
    const g2 = new Float32Array([4]);
    const got = await runOptimizer(
      sgd({ lr: 1, clipNorm: 1 }),
      [new Float32Array(2), new Float32Array(1)],
      [[g1, g2]],
    );
    // ‖g‖ = 5, so the step is g/5 (up to clip_grad_norm_'s 1e-6 in the denominator).
    expect(got.params[0][0]).toBeCloseTo(-0.6, 5);
    expect(got.params[1][0]).toBeCloseTo(-0.8, 5);
  });
});
