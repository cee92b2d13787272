import { attrInt } from '../../onnx/graph.ts';
import { mul, sub } from '../../onnx/ops/elementwise.ts';
import { reduceSum } from '../../onnx/ops/reduce.ts';
import { dy0, type GradientRule } from '../rule.ts';

export const op = 'Softmax';
/** dx = y · (dy − Σ dy·y) along the axis. */
export const rule: GradientRule = {
  op,
  grad: (c) => {
    const y = c.y(0);
    const axis = attrInt(c.node, 'axis', -1);
    const s = reduceSum(mul(dy0(c), y), { axes: [axis], keepdims: true });
    return [mul(y, sub(dy0(c), s))];
  },
};
