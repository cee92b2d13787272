/** Binary cross-entropy on logits with a positive-class weight, as torch.nn.BCEWithLogitsLoss(pos_weight). */
import { fmtShape, sameShape } from '../onnx/dtype.ts';
import { ShapeError, type SymbolicTensor } from '../onnx/graph.ts';
import { add, exp, log, min, mul, sub } from '../onnx/ops/elementwise.ts';
import { reduceMean, reduceSum } from '../onnx/ops/reduce.ts';

export type Reduction = 'mean' | 'sum' | 'none';

export interface BceOptions {
  /** Weight of the positive class (pos_weight); 1 = plain BCE. */
  posWeight?: number;
  reduction?: Reduction;
}

/**
 * softplus(x) = log(1 + eˣ) without overflow: with n = min(x, 0) and r = x − n = relu(x),
 * softplus(x) = r + log(1 + e^(n − r)), and n − r = −|x| ≤ 0 keeps the exponent from overflowing.
 * Written with Min rather than Relu/Abs so autodiff gives the true derivative ½ at x = 0 (Min's rule
 * sends a tie to its first input), where Relu'(0) = Abs'(0) = 0 would give 0.
 */
export function stableSoftplus(x: SymbolicTensor): SymbolicTensor {
  const n = min(x, 0);
  const r = sub(x, n);
  return add(r, log(add(exp(sub(n, r)), 1)));
}

export function reduce(loss: SymbolicTensor, reduction: Reduction): SymbolicTensor {
  if (reduction === 'none') return loss;
  return reduction === 'mean' ? reduceMean(loss, { keepdims: false }) : reduceSum(loss, { keepdims: false });
}

/**
 * ℓ = −[w·y·log σ(x) + (1 − y)·log(1 − σ(x))] = (1 + (w − 1)·y)·softplus(x) − w·y·x, elementwise,
 * then reduced (mean by default). Targets y are probabilities in [0, 1], the logits' shape.
 */
export function binaryCrossEntropyWithLogits(
  logits: SymbolicTensor,
  targets: SymbolicTensor,
  opts: BceOptions = {},
): SymbolicTensor {
  if (!sameShape(logits.shape, targets.shape) || logits.dtype !== targets.dtype)
    throw new ShapeError(
      'BinaryCrossEntropy',
      `logits ${logits.dtype}${fmtShape(logits.shape)} and targets ${targets.dtype}${fmtShape(targets.shape)} differ`,
    );
  const w = opts.posWeight ?? 1;
  if (!(w > 0)) throw new RangeError(`BinaryCrossEntropy: posWeight must be > 0, got ${w}`);
  const sp = stableSoftplus(logits);
  const weighted = w === 1 ? sp : mul(add(mul(targets, w - 1), 1), sp);
  const loss = sub(weighted, mul(mul(targets, w), logits));
  return reduce(loss, opts.reduction ?? 'mean');
}
