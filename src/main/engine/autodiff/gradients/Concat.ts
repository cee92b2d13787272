import { attrInt } from '../../onnx/graph.ts';
import { split } from '../../onnx/ops/shape.ts';
import { dy0, type GradientRule } from '../rule.ts';

export const op = 'Concat';
/** One Split hands each input its slab of the gradient. */
export const rule: GradientRule = {
  op,
  grad: (c) => {
    const axis = attrInt(c.node, 'axis', 0);
    const parts = split(
      dy0(c),
      c.node.inputs.map((_, i) => c.x(i).shape[axis]),
      axis,
    );
    return parts.map((p, i) => (c.needs[i] ? p : null));
  },
};
