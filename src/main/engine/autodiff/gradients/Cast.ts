import { isFloat } from '../../onnx/dtype.ts';
import { cast } from '../../onnx/ops/elementwise.ts';
import { dy0, type GradientRule } from '../rule.ts';

export const op = 'Cast';
/** Casting between float types passes the gradient back in the input's precision; other casts cut it. */
export const rule: GradientRule = {
  op,
  grad: (c) => [isFloat(c.x(0).dtype) ? cast(dy0(c), c.x(0).dtype) : null],
};
