/**
 * Finite-difference gradient checking against onnxruntime-node: the independent computation every
 * gradient rule (and any composed layer) is tested with. Exported so layer tests can use it too.
 */
import * as ort from 'onnxruntime-node';
import { numel, type Shape } from '../onnx/dtype.ts';
import { Graph, type SymbolicTensor } from '../onnx/graph.ts';
import { add, mul } from '../onnx/ops/elementwise.ts';
import { reduceSum } from '../onnx/ops/reduce.ts';
import { gradients } from './tape.ts';
import { mulberry32 } from '../../../shared/random.ts';

export type FloatDType = 'float32' | 'float64';

export interface CheckInput {
  shape: Shape;
  /** Values for the input; default uniform in [-1, 1) from the case's seed. */
  values?: (rand: () => number, i: number) => number;
}

export interface GradCheck {
  dtype: FloatDType;
  inputs: readonly CheckInput[];
  /** The function under test; every float output is folded into the scalar Σ out·w with fixed random w. */
  build: (xs: SymbolicTensor[], g: Graph) => SymbolicTensor | readonly SymbolicTensor[];
  /** Indices of inputs to differentiate (default all). */
  wrt?: readonly number[];
  seed?: number;
  eps?: number;
  /** Pass when |analytic − numeric| ≤ atol + rtol·|numeric| for every element checked. */
  atol?: number;
  rtol?: number;
  /** At most this many elements per input are perturbed (spread evenly). */
  maxElements?: number;
}

export interface GradCheckResult {
  /** Largest |analytic − numeric| over the elements checked. */
  maxAbsErr: number;
  /** Largest |analytic − numeric| / max(|numeric|, atol). */
  maxRelErr: number;
  checked: number;
  analytic: Float64Array[];
  failures: string[];
}

function typed(dtype: FloatDType, values: ArrayLike<number>): Float32Array | Float64Array {
  return dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values);
}

export async function checkGradients(c: GradCheck): Promise<GradCheckResult> {
  const rand = mulberry32(c.seed ?? 1234);
  const g = new Graph('gradcheck');
  const xs = c.inputs.map((inp, i) => g.input(`x${i}`, c.dtype, inp.shape));
  const built = c.build(xs, g);
  const outs = (Array.isArray(built) ? built : [built]) as SymbolicTensor[];
  const terms = outs
    .filter((o) => o.dtype === c.dtype)
    .map((o) => {
      const w = g.constant(
        c.dtype,
        o.shape,
        Array.from({ length: o.size }, () => rand() * 2 - 1),
      );
      return reduceSum(mul(o, w), { keepdims: false });
    });
  const loss = terms.reduce((a, b) => add(a, b));
  const wrt = c.wrt ?? xs.map((_, i) => i);
  const grads = gradients(
    loss,
    wrt.map((i) => xs[i]),
  );
  g.output(loss, 'loss');
  grads.forEach((d, k) => g.output(d, `grad${k}`));
  const session = await ort.InferenceSession.create(g.toBytes(), {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
  });

  const values = c.inputs.map((inp) =>
    Float64Array.from({ length: numel(inp.shape) }, (_, i) =>
      inp.values ? inp.values(rand, i) : rand() * 2 - 1,
    ),
  );
  const feeds = (vals: Float64Array[]) =>
    Object.fromEntries(
      vals.map((v, i) => [`x${i}`, new ort.Tensor(c.dtype, typed(c.dtype, v), [...c.inputs[i].shape])]),
    );
  const base = await session.run(feeds(values));
  const analytic = grads.map((_, k) =>
    Float64Array.from(base[`grad${k}`].data as Float32Array | Float64Array),
  );
  const lossAt = async (vals: Float64Array[]) =>
    Number((await session.run(feeds(vals), ['loss'])).loss.data[0]);

  const eps = c.eps ?? (c.dtype === 'float64' ? 1e-6 : 1e-2);
  const atol = c.atol ?? (c.dtype === 'float64' ? 1e-7 : 2e-3);
  const rtol = c.rtol ?? (c.dtype === 'float64' ? 1e-6 : 2e-3);
  const maxEl = c.maxElements ?? 24;
  const res: GradCheckResult = { maxAbsErr: 0, maxRelErr: 0, checked: 0, analytic, failures: [] };
  for (let k = 0; k < wrt.length; k++) {
    const xi = wrt[k];
    const n = values[xi].length;
    const step = Math.max(1, Math.floor(n / maxEl));
    for (let e = 0; e < n; e += step) {
      const plus = values.map((v) => v.slice());
      const minus = values.map((v) => v.slice());
      plus[xi][e] += eps;
      minus[xi][e] -= eps;
      const numeric = ((await lossAt(plus)) - (await lossAt(minus))) / (2 * eps);
      const a = analytic[k][e];
      const err = Math.abs(a - numeric);
      res.maxAbsErr = Math.max(res.maxAbsErr, err);
      res.maxRelErr = Math.max(res.maxRelErr, err / Math.max(Math.abs(numeric), atol));
      res.checked++;
      if (!(err <= atol + rtol * Math.abs(numeric)))
        res.failures.push(`input ${xi} element ${e}: analytic ${a}, numeric ${numeric}`);
    }
  }
  await session.release();
  return res;
}

/** The op types a check's function is built from (no session is run); used to prove rule coverage. */
export function forwardOps(c: GradCheck): string[] {
  const g = new Graph('ops');
  const xs = c.inputs.map((inp, i) => g.input(`x${i}`, c.dtype, inp.shape));
  c.build(xs, g);
  return [...new Set(g.nodes.map((n) => n.op))];
}
