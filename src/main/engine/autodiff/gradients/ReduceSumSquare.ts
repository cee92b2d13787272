import { attrInts } from '../../onnx/graph.ts';
import { mul } from '../../onnx/ops/elementwise.ts';
import { reshape } from '../../onnx/ops/shape.ts';
import { dy0, type GradientRule } from '../rule.ts';

export const op = 'ReduceSumSquare';
/** dx = 2·x·dy, dy broadcast back over the reduced axes. */
export const rule: GradientRule = {
  op,
  grad: (c) => {
    const x = c.x(0);
    const axes = (attrInts(c.node, 'axes') ?? x.shape.map((_, i) => i)).map((a) => (a < 0 ? a + x.rank : a));
    const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    return [mul(x, reshape(mul(dy0(c), 2), kept))];
  },
};
