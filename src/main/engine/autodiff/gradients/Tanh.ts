import { mul, sub } from '../../onnx/ops/elementwise.ts';
import { dy0, type GradientRule } from '../rule.ts';

export const op = 'Tanh';
/** dx = dy · (1 − y²), from the saved output. */
export const rule: GradientRule = {
  op,
  grad: (c) => [mul(dy0(c), sub(1, mul(c.y(0), c.y(0))))],
};
