import { attrInts } from '../../onnx/graph.ts';
import { transpose } from '../../onnx/ops/shape.ts';
import { dy0, type GradientRule } from '../rule.ts';

export const op = 'Transpose';
export const rule: GradientRule = {
  op,
  grad: (c) => {
    const perm = attrInts(c.node, 'perm') ?? c.x(0).shape.map((_, i) => c.x(0).rank - 1 - i);
    const inv = new Array<number>(perm.length);
    perm.forEach((p, i) => (inv[p] = i));
    return [transpose(dy0(c), inv)];
  },
};
