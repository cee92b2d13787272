/** Softmax cross-entropy over a class axis, against one-hot or probability targets. */
import { fmtShape, sameShape } from '../onnx/dtype.ts';
import { ShapeError, type SymbolicTensor } from '../onnx/graph.ts';
import { logSoftmax, mul, neg } from '../onnx/ops/index.ts';
import { reduceSum } from '../onnx/ops/reduce.ts';
import { reduce, type Reduction } from './bce.ts';

export interface SoftmaxCeOptions {
  /** The class axis (default 1, the channel axis of NC… tensors). */
  axis?: number;
  reduction?: Reduction;
}

/** ℓ = −Σ_c y_c · log softmax(x)_c over the class axis (LogSoftmax keeps it stable), then reduced. */
export function softmaxCrossEntropy(
  logits: SymbolicTensor,
  targets: SymbolicTensor,
  opts: SoftmaxCeOptions = {},
): SymbolicTensor {
  if (!sameShape(logits.shape, targets.shape) || logits.dtype !== targets.dtype)
    throw new ShapeError(
      'SoftmaxCrossEntropy',
      `logits ${logits.dtype}${fmtShape(logits.shape)} and targets ${targets.dtype}${fmtShape(targets.shape)} differ`,
    );
  const axis = opts.axis ?? 1;
  const perItem = neg(reduceSum(mul(targets, logSoftmax(logits, axis)), { axes: [axis], keepdims: false }));
  return reduce(perItem, opts.reduction ?? 'mean');
}
