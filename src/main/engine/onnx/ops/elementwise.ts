/** Elementwise ops. Binary ops broadcast and accept a plain number for either operand. */
import { ONNX_DTYPE, type DType } from '../dtype.ts';
import { int, type SymbolicTensor } from '../graph.ts';
import { broadcastShapes, firstTensor, lift, requireFloat, sameDType, type TensorLike } from './util.ts';

function isConstScalar(t: SymbolicTensor, v: number): boolean {
  const c = t.constant;
  return !!c && c.values.length === 1 && c.values[0] === v;
}

function binary(op: string, a: TensorLike, b: TensorLike, outDType?: DType): SymbolicTensor {
  const like = firstTensor(op, a, b);
  const x = lift(a, like);
  const y = lift(b, like);
  const dtype = sameDType(op, [x, y]);
  const shape = broadcastShapes(op, [x.shape, y.shape]);
  return like.graph.addNode(op, [x, y], {}, [{ dtype: outDType ?? dtype, shape }])[0];
}

/** Skips an op whose constant operand makes it the identity, when that does not change the shape. */
function passThrough(keep: SymbolicTensor, other: SymbolicTensor, neutral: number): boolean {
  return isConstScalar(other, neutral) && broadcastShapes('', [keep.shape, other.shape]).length === keep.rank;
}

export function add(a: TensorLike, b: TensorLike): SymbolicTensor {
  const like = firstTensor('Add', a, b);
  const x = lift(a, like);
  const y = lift(b, like);
  if (passThrough(x, y, 0)) return x;
  if (passThrough(y, x, 0)) return y;
  return binary('Add', x, y);
}
export function sub(a: TensorLike, b: TensorLike): SymbolicTensor {
  const like = firstTensor('Sub', a, b);
  const x = lift(a, like);
  const y = lift(b, like);
  if (passThrough(x, y, 0)) return x;
  return binary('Sub', x, y);
}
export function mul(a: TensorLike, b: TensorLike): SymbolicTensor {
  const like = firstTensor('Mul', a, b);
  const x = lift(a, like);
  const y = lift(b, like);
  if (passThrough(x, y, 1)) return x;
  if (passThrough(y, x, 1)) return y;
  if (passThrough(x, y, -1)) return neg(x);
  if (passThrough(y, x, -1)) return neg(y);
  return binary('Mul', x, y);
}
export function div(a: TensorLike, b: TensorLike): SymbolicTensor {
  const like = firstTensor('Div', a, b);
  const x = lift(a, like);
  const y = lift(b, like);
  if (passThrough(x, y, 1)) return x;
  return binary('Div', x, y);
}
export function pow(a: TensorLike, b: TensorLike): SymbolicTensor {
  return binary('Pow', a, b);
}
/** Elementwise maximum of two tensors (ONNX Max is variadic; two inputs is all we need). */
export function max(a: TensorLike, b: TensorLike): SymbolicTensor {
  return binary('Max', a, b);
}
export function min(a: TensorLike, b: TensorLike): SymbolicTensor {
  return binary('Min', a, b);
}
export function greater(a: TensorLike, b: TensorLike): SymbolicTensor {
  return binary('Greater', a, b, 'bool');
}
export function greaterOrEqual(a: TensorLike, b: TensorLike): SymbolicTensor {
  return binary('GreaterOrEqual', a, b, 'bool');
}
export function less(a: TensorLike, b: TensorLike): SymbolicTensor {
  return binary('Less', a, b, 'bool');
}
export function equal(a: TensorLike, b: TensorLike): SymbolicTensor {
  return binary('Equal', a, b, 'bool');
}

/** Variadic sum; used to accumulate gradients in one node instead of a chain of Adds. */
export function sum(xs: readonly SymbolicTensor[]): SymbolicTensor {
  if (xs.length === 0) throw new Error('Sum: needs at least one input');
  if (xs.length === 1) return xs[0];
  if (xs.length === 2) return add(xs[0], xs[1]);
  const dtype = sameDType('Sum', xs);
  const shape = broadcastShapes(
    'Sum',
    xs.map((x) => x.shape),
  );
  return xs[0].graph.addNode('Sum', xs, {}, [{ dtype, shape }])[0];
}

export function where(cond: SymbolicTensor, a: TensorLike, b: TensorLike): SymbolicTensor {
  const like = firstTensor('Where', a, b);
  const x = lift(a, like);
  const y = lift(b, like);
  if (cond.dtype !== 'bool') throw new Error(`Where: condition must be bool, got ${cond.dtype}`);
  const dtype = sameDType('Where', [x, y]);
  const shape = broadcastShapes('Where', [cond.shape, x.shape, y.shape]);
  return like.graph.addNode('Where', [cond, x, y], {}, [{ dtype, shape }])[0];
}

function unary(op: string, x: SymbolicTensor, float = true): SymbolicTensor {
  if (float) requireFloat(op, x);
  return x.graph.addNode(op, [x], {}, [{ dtype: x.dtype, shape: x.shape }])[0];
}

export const sigmoid = (x: SymbolicTensor): SymbolicTensor => unary('Sigmoid', x);
export const tanh = (x: SymbolicTensor): SymbolicTensor => unary('Tanh', x);
export const relu = (x: SymbolicTensor): SymbolicTensor => unary('Relu', x);
export const exp = (x: SymbolicTensor): SymbolicTensor => unary('Exp', x);
export const log = (x: SymbolicTensor): SymbolicTensor => unary('Log', x);
export const sqrt = (x: SymbolicTensor): SymbolicTensor => unary('Sqrt', x);
export const reciprocal = (x: SymbolicTensor): SymbolicTensor => unary('Reciprocal', x);
export const abs = (x: SymbolicTensor): SymbolicTensor => unary('Abs', x, false);
export const sign = (x: SymbolicTensor): SymbolicTensor => unary('Sign', x, false);
export const softplus = (x: SymbolicTensor): SymbolicTensor => unary('Softplus', x);
export const not = (x: SymbolicTensor): SymbolicTensor => unary('Not', x, false);

export function neg(x: SymbolicTensor): SymbolicTensor {
  // Neg(Neg(x)) = x: gradient rules chain negations, so cancel them here.
  if (x.producer?.op === 'Neg') return x.producer.inputs[0] as SymbolicTensor;
  return unary('Neg', x, false);
}

export function identity(x: SymbolicTensor): SymbolicTensor {
  return unary('Identity', x, false);
}

export function cast(x: SymbolicTensor, to: DType): SymbolicTensor {
  if (x.dtype === to) return x;
  return x.graph.addNode('Cast', [x], { to: int(ONNX_DTYPE[to]) }, [{ dtype: to, shape: x.shape }])[0];
}
