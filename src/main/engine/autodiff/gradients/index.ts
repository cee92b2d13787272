/** The one place gradient rules are registered: op type → rule. A duplicate op is an error at load. */
import type { GradientRule } from '../rule.ts';
import { rule as abs } from './Abs.ts';
import { rule as add } from './Add.ts';
import { rule as cast } from './Cast.ts';
import { rule as concat } from './Concat.ts';
import { rule as conv } from './Conv.ts';
import { rule as div } from './Div.ts';
import { rule as exp } from './Exp.ts';
import { rule as expand } from './Expand.ts';
import { rule as gemm } from './Gemm.ts';
import { rule as identity } from './Identity.ts';
import { rule as log } from './Log.ts';
import { rule as logSoftmax } from './LogSoftmax.ts';
import { rule as matMul } from './MatMul.ts';
import { rule as max } from './Max.ts';
import { rule as maxPool } from './MaxPool.ts';
import { rule as min } from './Min.ts';
import { rule as mul } from './Mul.ts';
import { rule as neg } from './Neg.ts';
import { rules as noGradientRules } from './NoGradient.ts';
import { rule as pad } from './Pad.ts';
import { rule as pow } from './Pow.ts';
import { rule as reciprocal } from './Reciprocal.ts';
import { rule as reduceMax } from './ReduceMax.ts';
import { rule as reduceMean } from './ReduceMean.ts';
import { rule as reduceSum } from './ReduceSum.ts';
import { rule as reduceSumSquare } from './ReduceSumSquare.ts';
import { rule as relu } from './Relu.ts';
import { rule as reshape } from './Reshape.ts';
import { rule as sigmoid } from './Sigmoid.ts';
import { rule as slice } from './Slice.ts';
import { rule as softmax } from './Softmax.ts';
import { rule as softplus } from './Softplus.ts';
import { rule as split } from './Split.ts';
import { rule as sqrt } from './Sqrt.ts';
import { rules as squeezeRules } from './Squeeze.ts';
import { rule as sub } from './Sub.ts';
import { rule as sum } from './Sum.ts';
import { rule as tanh } from './Tanh.ts';
import { rule as transpose } from './Transpose.ts';
import { rule as where } from './Where.ts';

const all: GradientRule[] = [
  abs,
  add,
  cast,
  concat,
  conv,
  div,
  exp,
  expand,
  gemm,
  identity,
  log,
  logSoftmax,
  matMul,
  max,
  maxPool,
  min,
  mul,
  neg,
  pad,
  pow,
  reciprocal,
  reduceMax,
  reduceMean,
  reduceSum,
  reduceSumSquare,
  relu,
  reshape,
  sigmoid,
  slice,
  softmax,
  softplus,
  split,
  sqrt,
  sub,
  sum,
  tanh,
  transpose,
  where,
  ...noGradientRules,
  ...squeezeRules,
];

export const GRADIENTS: ReadonlyMap<string, GradientRule> = (() => {
  const m = new Map<string, GradientRule>();
  for (const r of all) {
    if (m.has(r.op)) throw new Error(`gradient rule for '${r.op}' registered twice`);
    m.set(r.op, r);
  }
  return m;
})();
