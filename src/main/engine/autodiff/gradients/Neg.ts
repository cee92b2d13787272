import { neg } from '../../onnx/ops/elementwise.ts';
import { dy0, type GradientRule } from '../rule.ts';

export const op = 'Neg';
export const rule: GradientRule = { op, grad: (c) => [neg(dy0(c))] };
