/**
 * Gradient clipping by global norm, emitted as graph nodes. Same formula as
 * torch.nn.utils.clip_grad_norm_: total = ‖all gradients‖₂, and every gradient is scaled by
 * min(1, maxNorm / (total + 1e-6)).
 */
import type { SymbolicTensor } from '../onnx/graph.ts';
import { int } from '../onnx/graph.ts';
import { div, min, mul, sqrt, sum, add } from '../onnx/ops/elementwise.ts';

export function clipByGlobalNorm(grads: readonly SymbolicTensor[], maxNorm: number): SymbolicTensor[] {
  if (grads.length === 0 || !(maxNorm > 0)) return [...grads];
  const g = grads[0].graph;
  // ReduceSumSquare is never differentiated, so it can be emitted directly.
  const squares = grads.map(
    (t) => g.addNode('ReduceSumSquare', [t], { keepdims: int(0) }, [{ dtype: t.dtype, shape: [] }])[0],
  );
  const total = sqrt(sum(squares));
  const scale = min(div(maxNorm, add(total, 1e-6)), 1);
  return grads.map((t) => mul(t, scale));
}

/** The global norm alone, for reporting. */
export function globalNorm(grads: readonly SymbolicTensor[]): SymbolicTensor {
  const g = grads[0].graph;
  const squares = grads.map(
    (t) => g.addNode('ReduceSumSquare', [t], { keepdims: int(0) }, [{ dtype: t.dtype, shape: [] }])[0],
  );
  return sqrt(sum(squares));
}
