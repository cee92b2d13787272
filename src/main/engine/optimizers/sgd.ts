/**
 * SGD as torch.optim.SGD: coupled weight decay (added to the gradient), optional momentum with
 * dampening 0 and optional Nesterov. Without momentum it keeps no state.
 */
import { add, mul, sub } from '../onnx/ops/elementwise.ts';
import { clipByGlobalNorm } from './clip.ts';
import type { Hyper, Optimizer, OptimizerConfig, ParamState, Updated } from './optimizer.ts';

export interface SgdOptions {
  lr?: number;
  momentum?: number;
  nesterov?: boolean;
  weightDecay?: number;
  clipNorm?: number;
}

export function sgd(opts: SgdOptions = {}): Optimizer {
  const lr = opts.lr ?? 1e-2;
  const momentum = opts.momentum ?? 0;
  const nesterov = opts.nesterov ?? false;
  const wd = opts.weightDecay ?? 0;
  const clipNorm = opts.clipNorm ?? 0;
  for (const [k, v] of Object.entries({ lr, momentum, weightDecay: wd, clipNorm }))
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`sgd: ${k} must be a finite number ≥ 0, got ${v}`);
  if (nesterov && momentum === 0) throw new RangeError('sgd: nesterov needs a momentum > 0');
  return {
    slots: momentum > 0 ? ['momentum'] : [],
    lr,
    clipNorm,
    config: (): OptimizerConfig => ({ kind: 'sgd', lr, momentum, nesterov, weightDecay: wd, clipNorm }),
    update(states: readonly ParamState[], h: Hyper): Updated[] {
      const grads = clipByGlobalNorm(
        states.map((s) => s.grad),
        clipNorm,
      );
      return states.map((s, i) => {
        const g = wd > 0 ? add(grads[i], mul(s.param, wd)) : grads[i];
        if (momentum === 0) return { param: sub(s.param, mul(g, h.lr)), slots: [] };
        // With a zero-initialised buffer and no dampening, torch's first-step `buf = g` is this same formula.
        const buf = add(mul(s.slots[0], momentum), g);
        const d = nesterov ? add(g, mul(buf, momentum)) : buf;
        return { param: sub(s.param, mul(d, h.lr)), slots: [buf] };
      });
    },
  };
}
