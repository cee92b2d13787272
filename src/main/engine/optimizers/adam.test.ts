import { describe, expect, it } from 'vitest';
import { Rng } from '../runtime/rng.ts';
import { adam } from './adam.ts';
import { runOptimizer } from './testing.ts';

/** torch.optim.Adam / AdamW's single-tensor update, written out in float64. */
function reference(
  p0: Float64Array[],
  grads: Float64Array[][],
  o: { lr: number; b1: number; b2: number; eps: number; wd: number; clip: number },
): Float64Array[] {
  const p = p0.map((x) => Float64Array.from(x));
  const m = p.map((x) => new Float64Array(x.length));
  const v = p.map((x) => new Float64Array(x.length));
  grads.forEach((gs, t) => {
    let scale = 1;
    if (o.clip > 0) {
      const total = Math.sqrt(gs.reduce((s, g) => s + g.reduce((a, b) => a + b * b, 0), 0));
      scale = Math.min(1, o.clip / (total + 1e-6));
    }
    const step = t + 1;
    const bc1 = 1 - o.b1 ** step;
    const bc2 = 1 - o.b2 ** step;
    p.forEach((pi, i) => {
      for (let k = 0; k < pi.length; k++) {
        const g = gs[i][k] * scale;
        pi[k] *= 1 - o.lr * o.wd;
        m[i][k] = o.b1 * m[i][k] + (1 - o.b1) * g;
        v[i][k] = o.b2 * v[i][k] + (1 - o.b2) * g * g;
        pi[k] -= (o.lr / bc1) * (m[i][k] / (Math.sqrt(v[i][k]) / Math.sqrt(bc2) + o.eps));
      }
    });
  });
  return p;
}

function problem(seed: number, sizes: number[], steps: number) {
  const rng = new Rng(seed);
  const init = sizes.map((n) => rng.fill(new Float32Array(n), -1, 1));
  const grads = Array.from({ length: steps }, () => sizes.map((n) => rng.fill(new Float32Array(n), -2, 2)));
  return { init, grads };
}

const f64 = (a: Float32Array) => Float64Array.from(a);

describe('adam', () => {
  it('matches torch.optim.Adam over several steps', async () => {
    const { init, grads } = problem(7, [5, 12], 4);
    const got = await runOptimizer(adam({ lr: 0.01 }), init, grads);
    const want = reference(
      init.map(f64),
      grads.map((s) => s.map(f64)),
      {
        lr: 0.01,
        b1: 0.9,
        b2: 0.999,
        eps: 1e-8,
        wd: 0,
        clip: 0,
      },
    );
    got.params.forEach((p, i) =>
      p.forEach((v, k) =>
        expect(Math.abs(v - want[i][k])).toBeLessThan(2e-6 * Math.max(1, Math.abs(want[i][k]))),
      ),
    );
    // The update must have moved every parameter (a no-op optimizer would pass the comparison above only by luck).
    got.params[0].forEach((v, k) => expect(Math.abs(v - init[0][k])).toBeGreaterThan(1e-3));
  });

  it('decouples weight decay as torch.optim.AdamW does, and clips by global norm', async () => {
    const { init, grads } = problem(8, [6, 3], 3);
    const got = await runOptimizer(
      adam({ lr: 0.05, beta1: 0.8, weightDecay: 0.1, clipNorm: 0.5 }),
      init,
      grads,
    );
    const want = reference(
      init.map(f64),
      grads.map((s) => s.map(f64)),
      {
        lr: 0.05,
        b1: 0.8,
        b2: 0.999,
        eps: 1e-8,
        wd: 0.1,
        clip: 0.5,
      },
    );
    got.params.forEach((p, i) =>
      p.forEach((v, k) =>
        expect(Math.abs(v - want[i][k])).toBeLessThan(2e-6 * Math.max(1, Math.abs(want[i][k]))),
      ),
    );
    const noDecay = reference(
      init.map(f64),
      grads.map((s) => s.map(f64)),
      {
        lr: 0.05,
        b1: 0.8,
        b2: 0.999,
        eps: 1e-8,
        wd: 0,
        clip: 0.5,
      },
    );
    expect(Math.abs(got.params[0][0] - noDecay[0][0])).toBeGreaterThan(1e-4);
  });

  it('takes the learning rate from the graph input', async () => {
    const { init, grads } = problem(9, [4], 1);
    const a = await runOptimizer(adam({ lr: 0.01 }), init, grads, 0.01);
    const b = await runOptimizer(adam({ lr: 0.01 }), init, grads, 0.02);
    // First Adam step moves each weight by ≈ lr·sign(g), so doubling lr doubles the move.
    const da = a.params[0][0] - init[0][0];
    const db = b.params[0][0] - init[0][0];
    expect(db / da).toBeCloseTo(2, 4);
  });

  it('rejects impossible hyper-parameters by name', () => {
    expect(() => adam({ lr: -1 })).toThrow(/adam: lr must be/);
    expect(() => adam({ beta2: 1 })).toThrow(/betas must be < 1/);
  });
});
