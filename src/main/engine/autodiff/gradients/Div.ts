import { div, mul, neg } from '../../onnx/ops/elementwise.ts';
import { dy0, reduceTo, type GradientRule } from '../rule.ts';

export const op = 'Div';
/** y = a / b: da = dy / b, db = -dy · y / b (reuses y instead of recomputing a / b²). */
export const rule: GradientRule = {
  op,
  grad: (c) => {
    const g = c.needs[0] || c.needs[1] ? div(dy0(c), c.x(1)) : null;
    return [
      g && c.needs[0] ? reduceTo(g, c.x(0).shape) : null,
      g && c.needs[1] ? neg(reduceTo(mul(g, c.y(0)), c.x(1).shape)) : null,
    ];
  },
};
