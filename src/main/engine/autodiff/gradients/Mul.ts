import { mul } from '../../onnx/ops/elementwise.ts';
import { dy0, reduceTo, type GradientRule } from '../rule.ts';

export const op = 'Mul';
export const rule: GradientRule = {
  op,
  grad: (c) => [
    c.needs[0] ? reduceTo(mul(dy0(c), c.x(1)), c.x(0).shape) : null,
    c.needs[1] ? reduceTo(mul(dy0(c), c.x(0)), c.x(1).shape) : null,
  ],
};
