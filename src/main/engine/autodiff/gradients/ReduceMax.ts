import { attrInt, attrInts } from '../../onnx/graph.ts';
import { cast, div, equal, mul } from '../../onnx/ops/elementwise.ts';
import { reduceSum } from '../../onnx/ops/reduce.ts';
import { reshape } from '../../onnx/ops/shape.ts';
import { dy0, expandBack, type GradientRule } from '../rule.ts';

export const op = 'ReduceMax';
/** dy goes to the maximal elements, split evenly among ties (as torch.amax). */
export const rule: GradientRule = {
  op,
  grad: (c) => {
    const x = c.x(0);
    const axes = (attrInts(c.node, 'axes') ?? x.shape.map((_, i) => i)).map((a) => (a < 0 ? a + x.rank : a));
    const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const y = attrInt(c.node, 'keepdims', 1) ? c.y(0) : reshape(c.y(0), kept);
    const hit = cast(equal(x, y), x.dtype);
    const ties = reduceSum(hit, { axes, keepdims: true });
    return [mul(hit, expandBack(div(reshape(dy0(c), kept), ties), kept, x.shape))];
  },
};
