import { attrFloat, attrInt } from '../../onnx/graph.ts';
import { mul } from '../../onnx/ops/elementwise.ts';
import { gemm } from '../../onnx/ops/linalg.ts';
import { dy0, reduceTo, type GradientRule } from '../rule.ts';

export const op = 'Gemm';
/**
 * Y = α·op(A)·op(B) + β·C. Each gradient is one more Gemm with the transposes chosen so nothing is
 * materialised: dA = α·dY·op(B)ᵀ (transposed back when transA), dB likewise, dC = β·Σ dY.
 */
export const rule: GradientRule = {
  op,
  grad: (c) => {
    const [a, b] = [c.x(0), c.x(1)];
    const g = dy0(c);
    const alpha = attrFloat(c.node, 'alpha', 1);
    const beta = attrFloat(c.node, 'beta', 1);
    const ta = attrInt(c.node, 'transA', 0) === 1;
    const tb = attrInt(c.node, 'transB', 0) === 1;
    const da = !c.needs[0]
      ? null
      : ta
        ? gemm(b, g, null, { alpha, transA: tb, transB: true })
        : gemm(g, b, null, { alpha, transB: !tb });
    const db = !c.needs[1]
      ? null
      : tb
        ? gemm(g, a, null, { alpha, transA: true, transB: ta })
        : gemm(a, g, null, { alpha, transA: !ta });
    const dc = c.node.inputs[2] && c.needs[2] ? mul(reduceTo(g, c.x(2).shape), beta) : null;
    return [da, db, dc];
  },
};
