import { div, mul } from '../../onnx/ops/elementwise.ts';
import { dy0, type GradientRule } from '../rule.ts';

export const op = 'Sqrt';
/** dx = dy / (2·y), from the saved output. */
export const rule: GradientRule = { op, grad: (c) => [div(mul(dy0(c), 0.5), c.y(0))] };
