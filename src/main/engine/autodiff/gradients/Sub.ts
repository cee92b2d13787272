import { neg } from '../../onnx/ops/elementwise.ts';
import { dy0, reduceTo, type GradientRule } from '../rule.ts';

export const op = 'Sub';
export const rule: GradientRule = {
  op,
  grad: (c) => [
    c.needs[0] ? reduceTo(dy0(c), c.x(0).shape) : null,
    // Reduce before negating: the reduced tensor is the smaller one.
    c.needs[1] ? neg(reduceTo(dy0(c), c.x(1).shape)) : null,
  ],
};
