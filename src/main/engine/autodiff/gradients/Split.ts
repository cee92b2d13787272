import { attrInt } from '../../onnx/graph.ts';
import { zeros } from '../../onnx/ops/pool.ts';
import { concat } from '../../onnx/ops/shape.ts';
import type { GradientRule } from '../rule.ts';

export const op = 'Split';
/** Concat of the pieces' gradients, with zeros for pieces that do not reach the loss. */
export const rule: GradientRule = {
  op,
  grad: (c) => {
    const axis = attrInt(c.node, 'axis', 0);
    const x = c.x(0);
    const parts = c.node.outputs.map((o, i) => c.dy[i] ?? zeros(x, o.shape));
    return [concat(parts, axis), null];
  },
};
