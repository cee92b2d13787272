import { mul, neg } from '../../onnx/ops/elementwise.ts';
import { dy0, type GradientRule } from '../rule.ts';

export const op = 'Reciprocal';
/** dx = −dy · y², from the saved output. */
export const rule: GradientRule = { op, grad: (c) => [neg(mul(dy0(c), mul(c.y(0), c.y(0))))] };
