/** Matrix products. */
import { fmtShape } from '../dtype.ts';
import { float, int, ShapeError, type SymbolicTensor } from '../graph.ts';
import { broadcastShapes, requireFloat, sameDType } from './util.ts';

/** Batched matrix product with numpy semantics for operands of rank ≥ 2 (1-D operands are not supported). */
export function matmul(a: SymbolicTensor, b: SymbolicTensor): SymbolicTensor {
  const dtype = sameDType('MatMul', [a, b]);
  if (a.rank < 2 || b.rank < 2)
    throw new ShapeError(
      'MatMul',
      `needs operands of rank >= 2, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`,
    );
  const [m, k] = a.shape.slice(-2);
  const [k2, n] = b.shape.slice(-2);
  if (k !== k2)
    throw new ShapeError('MatMul', `inner dimensions differ: ${fmtShape(a.shape)} x ${fmtShape(b.shape)}`);
  let batch: number[];
  try {
    batch = broadcastShapes('MatMul', [a.shape.slice(0, -2), b.shape.slice(0, -2)]);
  } catch {
    throw new ShapeError(
      'MatMul',
      `batch dimensions of ${fmtShape(a.shape)} and ${fmtShape(b.shape)} cannot be broadcast`,
    );
  }
  return a.graph.addNode('MatMul', [a, b], {}, [{ dtype, shape: [...batch, m, n] }])[0];
}

export interface GemmOpts {
  alpha?: number;
  beta?: number;
  transA?: boolean;
  transB?: boolean;
}

/** Y = alpha·op(A)·op(B) + beta·C for 2-D A and B; C broadcasts to [M, N]. */
export function gemm(
  a: SymbolicTensor,
  b: SymbolicTensor,
  c: SymbolicTensor | null,
  opts: GemmOpts = {},
): SymbolicTensor {
  requireFloat('Gemm', a);
  const dtype = sameDType('Gemm', c ? [a, b, c] : [a, b]);
  if (a.rank !== 2 || b.rank !== 2)
    throw new ShapeError('Gemm', `needs 2-D A and B, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  const [m, k] = opts.transA ? [a.shape[1], a.shape[0]] : a.shape;
  const [k2, n] = opts.transB ? [b.shape[1], b.shape[0]] : b.shape;
  if (k !== k2)
    throw new ShapeError(
      'Gemm',
      `inner dimensions differ: A ${fmtShape(a.shape)}${opts.transA ? 'ᵀ' : ''} x B ${fmtShape(b.shape)}${opts.transB ? 'ᵀ' : ''}`,
    );
  if (c) {
    const bc = broadcastShapes('Gemm', [c.shape, [m, n]]);
    if (bc.length !== 2 || bc[0] !== m || bc[1] !== n)
      throw new ShapeError('Gemm', `C ${fmtShape(c.shape)} does not broadcast to [${m},${n}]`);
  }
  const attrs: Record<string, ReturnType<typeof int>> = {};
  if (opts.alpha !== undefined && opts.alpha !== 1) attrs.alpha = float(opts.alpha);
  if (opts.beta !== undefined && opts.beta !== 1) attrs.beta = float(opts.beta);
  if (opts.transA) attrs.transA = int(1);
  if (opts.transB) attrs.transB = int(1);
  return a.graph.addNode('Gemm', c ? [a, b, c] : [a, b], attrs, [{ dtype, shape: [m, n] }])[0];
}
