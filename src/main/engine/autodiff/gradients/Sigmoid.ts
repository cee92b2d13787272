import { mul, sub } from '../../onnx/ops/elementwise.ts';
import { dy0, type GradientRule } from '../rule.ts';

export const op = 'Sigmoid';
/** dx = dy · y · (1 − y), from the saved output. */
export const rule: GradientRule = {
  op,
  grad: (c) => [mul(dy0(c), mul(c.y(0), sub(1, c.y(0))))],
};
