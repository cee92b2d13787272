import { mul, sigmoid } from '../../onnx/ops/elementwise.ts';
import { dy0, type GradientRule } from '../rule.ts';

export const op = 'Softplus';
export const rule: GradientRule = { op, grad: (c) => [mul(dy0(c), sigmoid(c.x(0)))] };
