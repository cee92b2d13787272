import { reshape } from '../../onnx/ops/shape.ts';
import { dy0, type GradientRule } from '../rule.ts';

export const op = 'Reshape';
export const rule: GradientRule = { op, grad: (c) => [reshape(dy0(c), c.x(0).shape), null] };
