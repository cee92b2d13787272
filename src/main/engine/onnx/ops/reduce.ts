/** Reductions over static axes. Opset 17: ReduceSum takes axes as an input, the others as an attribute. */
import { int, ints, type SymbolicTensor } from '../graph.ts';
import { normAxis, requireFloat } from './util.ts';

export interface ReduceOpts {
  /** Omitted = all axes. */
  axes?: readonly number[];
  keepdims?: boolean;
}

function reduced(
  op: string,
  x: SymbolicTensor,
  opts: ReduceOpts,
): { axes: number[]; shape: number[]; keep: boolean } {
  const axes = (opts.axes ?? x.shape.map((_, i) => i)).map((a) => normAxis(op, a, x.rank, x.shape));
  const uniq = [...new Set(axes)].sort((a, b) => a - b);
  const keep = opts.keepdims ?? true;
  const shape = keep
    ? x.shape.map((d, i) => (uniq.includes(i) ? 1 : d))
    : x.shape.filter((_, i) => !uniq.includes(i));
  return { axes: uniq, shape, keep };
}

export function reduceSum(x: SymbolicTensor, opts: ReduceOpts = {}): SymbolicTensor {
  const { axes, shape, keep } = reduced('ReduceSum', x, opts);
  if (axes.length === 0) return x;
  return x.graph.addNode('ReduceSum', [x, x.graph.int64s(axes)], { keepdims: int(keep ? 1 : 0) }, [
    { dtype: x.dtype, shape },
  ])[0];
}

function attrReduce(op: string, x: SymbolicTensor, opts: ReduceOpts): SymbolicTensor {
  requireFloat(op, x);
  const { axes, shape, keep } = reduced(op, x, opts);
  if (axes.length === 0) return x;
  return x.graph.addNode(op, [x], { axes: ints(axes), keepdims: int(keep ? 1 : 0) }, [
    { dtype: x.dtype, shape },
  ])[0];
}

export const reduceMean = (x: SymbolicTensor, opts: ReduceOpts = {}): SymbolicTensor =>
  attrReduce('ReduceMean', x, opts);
export const reduceMax = (x: SymbolicTensor, opts: ReduceOpts = {}): SymbolicTensor =>
  attrReduce('ReduceMax', x, opts);
/** Σ x² over the axes in one pass (global-norm clipping, L2 penalties). */
export const reduceSumSquare = (x: SymbolicTensor, opts: ReduceOpts = {}): SymbolicTensor =>
  attrReduce('ReduceSumSquare', x, opts);
