/**
 * Test helpers: run a layer's forward pass through ORT with given weights, and direct (loop)
 * implementations of convolution to compare it with.
 */
import { Graph, type SymbolicTensor } from '../onnx/graph.ts';
import { makeCtx } from '../runtime/compile.ts';
import { createSession, f32 } from '../runtime/session.ts';
import { Rng } from '../runtime/rng.ts';
import { Scope, type ModelDef } from './model.ts';
import type { Layer } from './conv.ts';

export interface LayerRun {
  output: Float32Array;
  shape: number[];
  /** Next values of model state (training only). */
  states: Map<string, Float32Array>;
  weights: Map<string, Float32Array>;
}

/** Builds `make(scope)` into a one-layer model, fills its parameters from `seed`, runs it on `x`. */
export async function runLayer(
  make: (s: Scope) => Layer,
  x: Float32Array,
  xShape: number[],
  opts: { training?: boolean; seed?: number; noise?: Float32Array; weights?: Map<string, Float32Array> } = {},
): Promise<LayerRun> {
  const scope = new Scope();
  const layer = make(scope);
  const model: ModelDef = {
    name: 'layer',
    params: scope.params,
    states: scope.states,
    forward: () => null as never,
  };
  const rng = new Rng(opts.seed ?? 1);
  const weights = new Map<string, Float32Array>();
  for (const p of model.params) {
    const v =
      opts.weights?.get(p.name) ?? rng.fill(new Float32Array(p.shape.reduce((a, b) => a * b, 1)), -0.5, 0.5);
    weights.set(p.name, v);
  }
  for (const s of model.states)
    weights.set(
      s.name,
      opts.weights?.get(s.name) ?? new Float32Array(s.shape.reduce((a, b) => a * b, 1)).fill(s.init),
    );
  const g = new Graph('layer_test');
  const xin = g.input('x', 'float32', xShape);
  const training = opts.training ?? false;
  const { ctx, updates, noise } = makeCtx(g, model, training);
  const y: SymbolicTensor = layer.apply(ctx, xin);
  g.output(y, 'y');
  for (const [name, t] of updates) g.output(t, `next/${name}`);
  const session = await createSession(g.toBytes(), { threads: 1 });
  const feeds: Record<string, ReturnType<typeof f32>> = { x: f32(x, xShape) };
  for (const p of [...model.params, ...model.states]) feeds[p.name] = f32(weights.get(p.name)!, p.shape);
  for (const z of noise)
    feeds[z.name] = f32(opts.noise ?? new Float32Array(z.shape.reduce((a, b) => a * b, 1)), z.shape);
  const out = await session.run(feeds);
  await session.release();
  const states = new Map<string, Float32Array>();
  for (const name of updates.keys()) states.set(name, out[`next/${name}`].data as Float32Array);
  return { output: out.y.data as Float32Array, shape: [...y.shape], states, weights };
}

/** Direct 2-D convolution, stride 1, zero padding `pad`, NCHW, weight [M, C, kh, kw]. */
export function conv2dRef(
  x: Float32Array | Float64Array,
  [n, c, h, w]: number[],
  wt: ArrayLike<number>,
  [m, , kh, kw]: number[],
  bias: ArrayLike<number> | null,
  [ph, pw]: number[],
): Float64Array {
  const oh = h + 2 * ph - kh + 1;
  const ow = w + 2 * pw - kw + 1;
  const y = new Float64Array(n * m * oh * ow);
  for (let b = 0; b < n; b++)
    for (let o = 0; o < m; o++)
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++) {
          let s = bias ? bias[o] : 0;
          for (let ci = 0; ci < c; ci++)
            for (let u = 0; u < kh; u++)
              for (let v = 0; v < kw; v++) {
                const r = i + u - ph;
                const q = j + v - pw;
                if (r < 0 || r >= h || q < 0 || q >= w) continue;
                s += x[((b * c + ci) * h + r) * w + q] * wt[((o * c + ci) * kh + u) * kw + v];
              }
          y[((b * m + o) * oh + i) * ow + j] = s;
        }
  return y;
}

export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-5): void {
  if (got.length !== want.length) throw new Error(`length ${got.length} ≠ ${want.length}`);
  for (let i = 0; i < want.length; i++)
    if (!(Math.abs(got[i] - want[i]) <= tol * Math.max(1, Math.abs(want[i]))))
      throw new Error(`element ${i}: got ${got[i]}, want ${want[i]}`);
}

/** Direct 3-D convolution, stride 1, zero padding, NCDHW, weight [M, C, kd, kh, kw]. */
export function conv3dRef(
  x: ArrayLike<number>,
  [n, c, d, h, w]: number[],
  wt: ArrayLike<number>,
  [m, , kd, kh, kw]: number[],
  bias: ArrayLike<number> | null,
  [pd, ph, pw]: number[],
): Float64Array {
  const od = d + 2 * pd - kd + 1;
  const oh = h + 2 * ph - kh + 1;
  const ow = w + 2 * pw - kw + 1;
  const y = new Float64Array(n * m * od * oh * ow);
  let k = 0;
  for (let b = 0; b < n; b++)
    for (let o = 0; o < m; o++)
      for (let t = 0; t < od; t++)
        for (let i = 0; i < oh; i++)
          for (let j = 0; j < ow; j++) {
            let s = bias ? bias[o] : 0;
            for (let ci = 0; ci < c; ci++)
              for (let e = 0; e < kd; e++)
                for (let u = 0; u < kh; u++)
                  for (let v = 0; v < kw; v++) {
                    const z = t + e - pd;
                    const r = i + u - ph;
                    const q = j + v - pw;
                    if (z < 0 || z >= d || r < 0 || r >= h || q < 0 || q >= w) continue;
                    s +=
                      x[(((b * c + ci) * d + z) * h + r) * w + q] *
                      wt[(((o * c + ci) * kd + e) * kh + u) * kw + v];
                  }
            y[k++] = s;
          }
  return y;
}
