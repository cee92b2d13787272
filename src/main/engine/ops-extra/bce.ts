/**
 * Binary cross-entropy on logits with a positive-class weight, mean over all elements, exactly
 * torch.nn.BCEWithLogitsLoss(pos_weight)'s stable form:
 *   ℓ = (1 − y)·x + (1 + (w − 1)·y)·(log(1 + e^{−|x|}) + max(−x, 0)).
 * Built from Relu/Exp/Log and arithmetic only, so it needs no gradient rule of its own.
 * (A stop-gap for the reference preset while losses/ is being written; prefer losses/ once it exports one.)
 */
import type { SymbolicTensor } from '../onnx/graph.ts';
import { add, exp, log, mul, neg, relu, sub } from '../onnx/ops/elementwise.ts';
import { reduceMean } from '../onnx/ops/reduce.ts';

export function bceWithLogits(x: SymbolicTensor, y: SymbolicTensor, posWeight = 1): SymbolicTensor {
  const negPart = relu(neg(x));
  const absX = add(relu(x), negPart);
  const softTerm = add(log(add(exp(neg(absX)), 1)), negPart);
  const logWeight = posWeight === 1 ? null : add(mul(y, posWeight - 1), 1);
  const l = add(mul(sub(1, y), x), logWeight ? mul(logWeight, softTerm) : softTerm);
  return reduceMean(l, { keepdims: false });
}
