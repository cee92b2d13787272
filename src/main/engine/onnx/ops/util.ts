import { fmtShape, type DType, type Shape } from '../dtype.ts';
import { ShapeError, SymbolicTensor } from '../graph.ts';

export type TensorLike = SymbolicTensor | number;

/** Turns a plain number into a scalar constant of the other operand's dtype. */
export function lift(x: TensorLike, like: SymbolicTensor): SymbolicTensor {
  return typeof x === 'number' ? like.graph.scalar(x, like.dtype) : x;
}

export function firstTensor(op: string, ...xs: TensorLike[]): SymbolicTensor {
  for (const x of xs) if (typeof x !== 'number') return x;
  throw new ShapeError(op, 'needs at least one tensor operand (got only numbers)');
}

export function sameDType(op: string, ts: readonly SymbolicTensor[]): DType {
  const d = ts[0].dtype;
  for (const t of ts)
    if (t.dtype !== d)
      throw new ShapeError(
        op,
        `dtypes differ: ${ts.map((u) => `${u.dtype}${fmtShape(u.shape)}`).join(' and ')}`,
      );
  return d;
}

/** Numpy-style multidirectional broadcasting, as ONNX defines it. */
export function broadcastShapes(op: string, shapes: readonly Shape[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    let d = 1;
    for (const s of shapes) {
      const k = s.length - rank + i;
      const v = k < 0 ? 1 : s[k];
      if (v === 1) continue;
      if (d !== 1 && d !== v)
        throw new ShapeError(op, `shapes ${shapes.map(fmtShape).join(' and ')} cannot be broadcast`);
      d = v;
    }
    out.push(d);
  }
  return out;
}

/** Normalises a possibly negative axis against a rank, naming the op on failure. */
export function normAxis(op: string, axis: number, rank: number, shape: Shape): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank || !Number.isInteger(a))
    throw new ShapeError(op, `axis ${axis} is out of range for shape ${fmtShape(shape)}`);
  return a;
}

export function requireFloat(op: string, t: SymbolicTensor): void {
  if (t.dtype !== 'float32' && t.dtype !== 'float64')
    throw new ShapeError(op, `needs a float tensor, got ${t.dtype}${fmtShape(t.shape)}`);
}
