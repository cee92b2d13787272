/** Finite-difference cases for the elementwise, matrix and softmax gradient rules (run by elementwise.grad.test.ts). */
import * as op from '../onnx/ops/index.ts';
import type { GradCheck } from './check.ts';

const pos = (r: () => number) => 0.2 + r() * 1.5;
/** Keeps |x| away from a kink so the central difference never straddles it. */
const awayFromZero = (r: () => number) => (r() < 0.5 ? -1 : 1) * (0.1 + r());

export type Case = [string, GradCheck];
const f64 = (inputs: GradCheck['inputs'], build: GradCheck['build']): GradCheck => ({
  dtype: 'float64',
  inputs,
  build,
});

export const cases: Case[] = [
  ['Add broadcast', f64([{ shape: [2, 3, 4] }, { shape: [3, 1] }], ([a, b]) => op.add(a, b))],
  ['Add same tensor twice', f64([{ shape: [5] }], ([a]) => op.add(a, a))],
  ['Sub broadcast', f64([{ shape: [4] }, { shape: [2, 3, 4] }], ([a, b]) => op.sub(a, b))],
  ['Mul broadcast', f64([{ shape: [2, 1, 4] }, { shape: [3, 1] }], ([a, b]) => op.mul(a, b))],
  ['Mul by scalar constant', f64([{ shape: [2, 3] }], ([a]) => op.mul(a, 3.5))],
  ['Div broadcast', f64([{ shape: [2, 3] }, { shape: [3], values: pos }], ([a, b]) => op.div(a, b))],
  ['Pow', f64([{ shape: [5], values: pos }, { shape: [5] }], ([a, b]) => op.pow(a, b))],
  ['Max', f64([{ shape: [2, 3] }, { shape: [3] }], ([a, b]) => op.max(a, b))],
  ['Min', f64([{ shape: [2, 3] }, { shape: [2, 3] }], ([a, b]) => op.min(a, b))],
  [
    'Sum of three',
    f64([{ shape: [2, 3] }, { shape: [3] }, { shape: [1, 1] }], ([a, b, c]) => op.sum([a, b, c])),
  ],
  [
    'Where',
    f64([{ shape: [2, 3] }, { shape: [2, 3] }], ([a, b]) => op.where(op.greater(a, b), a, op.mul(b, b))),
  ],
  ['Sigmoid', f64([{ shape: [7] }], ([a]) => op.sigmoid(op.mul(a, 3)))],
  ['Tanh', f64([{ shape: [7] }], ([a]) => op.tanh(op.mul(a, 2)))],
  ['Relu', f64([{ shape: [9], values: awayFromZero }], ([a]) => op.relu(a))],
  ['Exp', f64([{ shape: [6] }], ([a]) => op.exp(a))],
  ['Log', f64([{ shape: [6], values: pos }], ([a]) => op.log(a))],
  ['Sqrt', f64([{ shape: [6], values: pos }], ([a]) => op.sqrt(a))],
  ['Reciprocal', f64([{ shape: [6], values: pos }], ([a]) => op.reciprocal(a))],
  ['Neg', f64([{ shape: [4] }], ([a]) => op.neg(op.exp(a)))],
  ['Abs', f64([{ shape: [8], values: awayFromZero }], ([a]) => op.abs(a))],
  // Sign has a zero gradient: d(sign(x)·x)/dx = sign(x), carried by Mul's other operand alone.
  ['Sign (no gradient) times x', f64([{ shape: [6], values: awayFromZero }], ([a]) => op.mul(op.sign(a), a))],
  ['Identity', f64([{ shape: [3] }], ([a]) => op.identity(a))],
  // x² through float32: a quadratic, so a wide step is exact and only float32 rounding remains.
  [
    'Cast float64→float32→float64',
    {
      ...f64([{ shape: [4] }], ([a]) =>
        op.cast(op.mul(op.cast(a, 'float32'), op.cast(a, 'float32')), 'float64'),
      ),
      eps: 0.1,
      atol: 1e-5,
      rtol: 1e-5,
    },
  ],
  ['Softmax', f64([{ shape: [2, 5] }], ([a]) => op.softmax(a, 1))],
  ['LogSoftmax', f64([{ shape: [3, 4] }], ([a]) => op.logSoftmax(a, 0))],
  ['MatMul batched broadcast', f64([{ shape: [2, 3, 4] }, { shape: [4, 5] }], ([a, b]) => op.matmul(a, b))],
  [
    'MatMul batch broadcast on A',
    f64([{ shape: [3, 4] }, { shape: [2, 4, 2] }], ([a, b]) => op.matmul(a, b)),
  ],
  [
    'Gemm',
    f64([{ shape: [3, 4] }, { shape: [4, 2] }, { shape: [2] }], ([a, b, c]) =>
      op.gemm(a, b, c, { alpha: 0.7, beta: 1.3 }),
    ),
  ],
  [
    'Gemm transA transB',
    f64([{ shape: [4, 3] }, { shape: [2, 4] }, { shape: [3, 1] }], ([a, b, c]) =>
      op.gemm(a, b, c, { transA: true, transB: true, alpha: 2 }),
    ),
  ],
  [
    'Gemm transA',
    f64([{ shape: [4, 3] }, { shape: [4, 2] }], ([a, b]) => op.gemm(a, b, null, { transA: true })),
  ],
  [
    'Gemm transB',
    f64([{ shape: [3, 4] }, { shape: [2, 4] }], ([a, b]) => op.gemm(a, b, null, { transB: true })),
  ],
  [
    'Softplus (float32)',
    { dtype: 'float32', inputs: [{ shape: [6] }], build: ([a]) => op.softplus(op.mul(a, 3)) },
  ],
];
