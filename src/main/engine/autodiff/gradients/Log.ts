import { div } from '../../onnx/ops/elementwise.ts';
import { dy0, type GradientRule } from '../rule.ts';

export const op = 'Log';
export const rule: GradientRule = { op, grad: (c) => [div(dy0(c), c.x(0))] };
