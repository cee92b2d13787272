import { matmul } from '../../onnx/ops/linalg.ts';
import { reshape, transpose } from '../../onnx/ops/shape.ts';
import type { SymbolicTensor } from '../../onnx/graph.ts';
import { dy0, reduceTo, type GradientRule } from '../rule.ts';

export const op = 'MatMul';

/** Swaps the last two axes (ORT fuses such a Transpose into the MatMul that reads it). */
function t(x: SymbolicTensor): SymbolicTensor {
  const p = x.shape.map((_, i) => i);
  [p[x.rank - 2], p[x.rank - 1]] = [p[x.rank - 1], p[x.rank - 2]];
  return transpose(x, p);
}

/** C = A·B: dA = dC·Bᵀ, dB = Aᵀ·dC, each summed over broadcast batch axes. */
export const rule: GradientRule = {
  op,
  grad: (c) => {
    const [a, b] = [c.x(0), c.x(1)];
    const g = dy0(c);
    let db: SymbolicTensor | null = null;
    if (c.needs[1]) {
      if (b.rank === 2 && a.rank > 2) {
        // A shared 2-D weight: fold the batch into the rows so one GEMM does the batch sum.
        const k = a.shape[a.rank - 1];
        db = matmul(t(reshape(a, [-1, k])), reshape(g, [-1, g.shape[g.rank - 1]]));
      } else db = reduceTo(matmul(t(a), g), b.shape);
    }
    return [c.needs[0] ? reduceTo(matmul(g, t(b)), a.shape) : null, db];
  },
};
