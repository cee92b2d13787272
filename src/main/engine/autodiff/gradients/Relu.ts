import { greater, where } from '../../onnx/ops/elementwise.ts';
import { dy0, type GradientRule } from '../rule.ts';

export const op = 'Relu';
/** dx = dy where x > 0 (0 at the kink, as PyTorch); NaN in x gives 0, NaN in dy passes through. */
export const rule: GradientRule = {
  op,
  grad: (c) => [where(greater(c.x(0), 0), dy0(c), 0)],
};
