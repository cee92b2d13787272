import { attrInt } from '../../onnx/graph.ts';
import { constInts, dy0, expandBack, type GradientRule } from '../rule.ts';

export const op = 'ReduceSum';
/** Broadcast dy back over the reduced axes. */
export const rule: GradientRule = {
  op,
  grad: (c) => {
    const x = c.x(0);
    const axes = (constInts(c, 1) ?? x.shape.map((_, i) => i)).map((a) => (a < 0 ? a + x.rank : a));
    if (axes.length === 0 && attrInt(c.node, 'noop_with_empty_axes', 0)) return [dy0(c), null];
    const all = axes.length === 0;
    const kept = x.shape.map((d, i) => (all || axes.includes(i) ? 1 : d));
    return [expandBack(dy0(c), kept, x.shape), null];
  },
};
