import { greater, where } from '../../onnx/ops/elementwise.ts';
import { dy0, type GradientRule } from '../rule.ts';

export const op = 'Relu';
/**
 * dx = dy where y > 0 (0 at the kink, as PyTorch). Reads the output rather than the input: the
 * output is usually kept for the next layer's weight gradient anyway, so the pre-activation tensor
 * need not stay alive until the backward pass.
 */
export const rule: GradientRule = {
  op,
  grad: (c) => [where(greater(c.y(0), 0), dy0(c), 0)],
};
