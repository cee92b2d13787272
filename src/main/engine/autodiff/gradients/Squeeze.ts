import { reshape } from '../../onnx/ops/shape.ts';
import { dy0, type GradientRule } from '../rule.ts';

/** Squeeze and Unsqueeze only relabel axes: the gradient is a reshape back. */
export const ops = ['Squeeze', 'Unsqueeze'];
export const rules: GradientRule[] = ops.map((op) => ({
  op,
  grad: (c) => [reshape(dy0(c), c.x(0).shape), null],
}));
