/**
 * Adam with decoupled weight decay: torch.optim.Adam when weightDecay is 0, torch.optim.AdamW
 * otherwise (the decay multiplies the parameter by 1 − lr·wd before the Adam step, never enters the
 * moments). Same arithmetic order as PyTorch's single-tensor path, so a step agrees to rounding.
 */
import { add, div, mul, pow, sqrt, sub } from '../onnx/ops/elementwise.ts';
import { clipByGlobalNorm } from './clip.ts';
import type { Hyper, Optimizer, OptimizerConfig, ParamState, Updated } from './optimizer.ts';

export interface AdamOptions {
  lr?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
  clipNorm?: number;
}

export function adam(opts: AdamOptions = {}): Optimizer {
  const lr = opts.lr ?? 1e-3;
  const b1 = opts.beta1 ?? 0.9;
  const b2 = opts.beta2 ?? 0.999;
  const eps = opts.eps ?? 1e-8;
  const wd = opts.weightDecay ?? 0;
  const clipNorm = opts.clipNorm ?? 0;
  for (const [k, v] of Object.entries({ lr, beta1: b1, beta2: b2, eps, weightDecay: wd, clipNorm }))
    if (!Number.isFinite(v) || v < 0)
      throw new RangeError(`adam: ${k} must be a finite number ≥ 0, got ${v}`);
  if (b1 >= 1 || b2 >= 1) throw new RangeError(`adam: betas must be < 1, got ${b1}, ${b2}`);
  return {
    slots: ['m', 'v'],
    lr,
    clipNorm,
    config: (): OptimizerConfig => ({
      kind: 'adam',
      lr,
      beta1: b1,
      beta2: b2,
      eps,
      weightDecay: wd,
      clipNorm,
    }),
    update(states: readonly ParamState[], h: Hyper): Updated[] {
      const grads = clipByGlobalNorm(
        states.map((s) => s.grad),
        clipNorm,
      );
      // Bias corrections depend on the step only: computed once, shared by every parameter.
      const bc1 = sub(1, pow(b1, h.step));
      const bc2Sqrt = sqrt(sub(1, pow(b2, h.step)));
      const stepSize = div(h.lr, bc1);
      const decay = wd > 0 ? sub(1, mul(h.lr, wd)) : null;
      return states.map((s, i) => {
        const g = grads[i];
        const [m, v] = s.slots;
        const m1 = add(mul(m, b1), mul(g, 1 - b1));
        const v1 = add(mul(v, b2), mul(mul(g, g), 1 - b2));
        const denom = add(div(sqrt(v1), bc2Sqrt), eps);
        const p = decay ? mul(s.param, decay) : s.param;
        return { param: sub(p, mul(div(m1, denom), stepSize)), slots: [m1, v1] };
      });
    },
  };
}
