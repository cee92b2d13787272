/** Pooling, softmax and the index ops MaxPool's gradient needs. */
import { fmtShape } from '../dtype.ts';
import { int, ints, ShapeError, str, type Attr, type SymbolicTensor } from '../graph.ts';
import { normAxis, requireFloat } from './util.ts';

export interface PoolOpts {
  kernel: readonly number[];
  strides?: readonly number[];
  pads?: readonly number[];
}

/** MaxPool returning [values, indices]; indices are flat offsets into the whole input tensor (ORT's convention). */
export function maxPool(x: SymbolicTensor, opts: PoolOpts): [SymbolicTensor, SymbolicTensor] {
  requireFloat('MaxPool', x);
  const sp = x.rank - 2;
  const k = [...opts.kernel];
  const s = [...(opts.strides ?? k)];
  const p = [...(opts.pads ?? [...k, ...k].map(() => 0))];
  if (sp < 1 || k.length !== sp || s.length !== sp || p.length !== 2 * sp)
    throw new ShapeError(
      'MaxPool',
      `kernel ${fmtShape(k)} does not match spatial axes of input ${fmtShape(x.shape)}`,
    );
  const out = [x.shape[0], x.shape[1]];
  for (let i = 0; i < sp; i++) {
    const o = Math.floor((x.shape[2 + i] + p[i] + p[i + sp] - k[i]) / s[i]) + 1;
    if (o < 1)
      throw new ShapeError('MaxPool', `kernel ${fmtShape(k)} is larger than input ${fmtShape(x.shape)}`);
    out.push(o);
  }
  const [y, idx] = x.graph.addNode(
    'MaxPool',
    [x],
    { kernel_shape: ints(k), strides: ints(s), pads: ints(p) },
    [
      { dtype: x.dtype, shape: out },
      { dtype: 'int64', shape: out },
    ],
  );
  return [y, idx];
}

export function scatterElements(
  data: SymbolicTensor,
  indices: SymbolicTensor,
  updates: SymbolicTensor,
  axis: number,
  reduction: 'none' | 'add' = 'none',
): SymbolicTensor {
  const a = normAxis('ScatterElements', axis, data.rank, data.shape);
  if (indices.rank !== data.rank || updates.shape.some((d, i) => d !== indices.shape[i]))
    throw new ShapeError(
      'ScatterElements',
      `data ${fmtShape(data.shape)}, indices ${fmtShape(indices.shape)} and updates ${fmtShape(updates.shape)} do not agree`,
    );
  const attrs: Record<string, Attr> = { axis: int(a) };
  if (reduction !== 'none') attrs.reduction = str(reduction);
  return data.graph.addNode('ScatterElements', [data, indices, updates], attrs, [
    { dtype: data.dtype, shape: data.shape },
  ])[0];
}

/** A zero-filled tensor via ConstantOfShape, so large zero buffers are not stored in the model. */
export function zeros(
  like: { graph: SymbolicTensor['graph']; dtype: SymbolicTensor['dtype'] },
  shape: readonly number[],
): SymbolicTensor {
  const g = like.graph;
  if (shape.reduce((a, b) => a * b, 1) <= 16)
    return g.constant(like.dtype, shape, new Array(shape.reduce((a, b) => a * b, 1)).fill(0));
  return g.addNode(
    'ConstantOfShape',
    [g.int64s(shape)],
    { value: { kind: 'tensor', v: { dtype: like.dtype, shape: [1], values: [0] } } },
    [{ dtype: like.dtype, shape }],
  )[0];
}

export function softmax(x: SymbolicTensor, axis = -1): SymbolicTensor {
  requireFloat('Softmax', x);
  const a = normAxis('Softmax', axis, x.rank, x.shape);
  return x.graph.addNode('Softmax', [x], { axis: int(a) }, [{ dtype: x.dtype, shape: x.shape }])[0];
}

export function logSoftmax(x: SymbolicTensor, axis = -1): SymbolicTensor {
  requireFloat('LogSoftmax', x);
  const a = normAxis('LogSoftmax', axis, x.rank, x.shape);
  return x.graph.addNode('LogSoftmax', [x], { axis: int(a) }, [{ dtype: x.dtype, shape: x.shape }])[0];
}
