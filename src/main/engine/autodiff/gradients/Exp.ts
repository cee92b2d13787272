import { mul } from '../../onnx/ops/elementwise.ts';
import { dy0, type GradientRule } from '../rule.ts';

export const op = 'Exp';
export const rule: GradientRule = { op, grad: (c) => [mul(dy0(c), c.y(0))] };
