import { attrInts } from '../../onnx/graph.ts';
import { mul } from '../../onnx/ops/elementwise.ts';
import { dy0, expandBack, type GradientRule } from '../rule.ts';

export const op = 'ReduceMean';
/** Broadcast dy / count back over the reduced axes (scaling before the broadcast touches fewer elements). */
export const rule: GradientRule = {
  op,
  grad: (c) => {
    const x = c.x(0);
    const axes = (attrInts(c.node, 'axes') ?? x.shape.map((_, i) => i)).map((a) => (a < 0 ? a + x.rank : a));
    const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const count = axes.reduce((n, a) => n * x.shape[a], 1);
    return [expandBack(mul(dy0(c), 1 / count), kept, x.shape)];
  },
};
