import { attrInt } from '../../onnx/graph.ts';
import { exp, mul, sub } from '../../onnx/ops/elementwise.ts';
import { reduceSum } from '../../onnx/ops/reduce.ts';
import { dy0, type GradientRule } from '../rule.ts';

export const op = 'LogSoftmax';
/** dx = dy − softmax(x) · Σ dy along the axis, softmax recovered as exp(y). */
export const rule: GradientRule = {
  op,
  grad: (c) => {
    const axis = attrInt(c.node, 'axis', -1);
    const s = reduceSum(dy0(c), { axes: [axis], keepdims: true });
    return [sub(dy0(c), mul(exp(c.y(0)), s))];
  },
};
