import { where } from '../../onnx/ops/elementwise.ts';
import { dy0, reduceTo, type GradientRule } from '../rule.ts';

export const op = 'Where';
export const rule: GradientRule = {
  op,
  grad: (c) => [
    null,
    c.needs[1] ? reduceTo(where(c.x(0), dy0(c), 0), c.x(1).shape) : null,
    c.needs[2] ? reduceTo(where(c.x(0), 0, dy0(c)), c.x(2).shape) : null,
  ],
};
