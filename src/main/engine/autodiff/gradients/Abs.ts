import { mul, sign } from '../../onnx/ops/elementwise.ts';
import { dy0, type GradientRule } from '../rule.ts';

export const op = 'Abs';
/** dx = dy · sign(x) (0 at x = 0, as PyTorch). */
export const rule: GradientRule = { op, grad: (c) => [mul(dy0(c), sign(c.x(0)))] };
