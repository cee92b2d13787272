import { greaterOrEqual, where } from '../../onnx/ops/elementwise.ts';
import { dy0, reduceTo, type GradientRule } from '../rule.ts';

export const op = 'Min';
/** Two-input Min; a tie sends the gradient to the first input. */
export const rule: GradientRule = {
  op,
  grad: (c) => {
    if (c.node.inputs.length !== 2)
      throw new Error(`Min: gradient supports exactly 2 inputs, got ${c.node.inputs.length}`);
    const first = greaterOrEqual(c.x(1), c.x(0));
    return [
      c.needs[0] ? reduceTo(where(first, dy0(c), 0), c.x(0).shape) : null,
      c.needs[1] ? reduceTo(where(first, 0, dy0(c)), c.x(1).shape) : null,
    ];
  },
};
