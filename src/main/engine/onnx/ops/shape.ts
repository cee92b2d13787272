/** Ops that move data without arithmetic: reshape, transpose, concat, split, slice, pad, (un)squeeze, expand. */
import { fmtShape, numel, sameShape, type Shape } from '../dtype.ts';
import { ints, int, ShapeError, str, type SymbolicTensor } from '../graph.ts';
import { normAxis, sameDType } from './util.ts';

/** Reshape to a static shape (one -1 allowed). Chains of reshapes collapse into one. */
export function reshape(x: SymbolicTensor, shape: Shape): SymbolicTensor {
  const n = x.size;
  const out = [...shape];
  const neg = out.filter((d) => d === -1).length;
  if (neg > 1 || out.some((d) => d < -1 || !Number.isInteger(d)))
    throw new ShapeError('Reshape', `bad target shape ${fmtShape(shape)} for input ${fmtShape(x.shape)}`);
  if (neg === 1) {
    const known = numel(out.filter((d) => d !== -1));
    if (known === 0 || n % known !== 0)
      throw new ShapeError('Reshape', `cannot reshape ${fmtShape(x.shape)} to ${fmtShape(shape)}`);
    out[out.indexOf(-1)] = n / known;
  }
  if (numel(out) !== n)
    throw new ShapeError('Reshape', `cannot reshape ${fmtShape(x.shape)} to ${fmtShape(shape)}`);
  if (sameShape(out, x.shape)) return x;
  const src = x.producer && x.producer.op === 'Reshape' ? (x.producer.inputs[0] as SymbolicTensor) : x;
  if (sameShape(out, src.shape)) return src;
  return x.graph.addNode('Reshape', [src, x.graph.int64s(out)], {}, [{ dtype: x.dtype, shape: out }])[0];
}

export function transpose(x: SymbolicTensor, perm?: readonly number[]): SymbolicTensor {
  const p = perm ? [...perm] : x.shape.map((_, i) => x.rank - 1 - i);
  const sorted = [...p].sort((a, b) => a - b);
  if (p.length !== x.rank || sorted.some((v, i) => v !== i))
    throw new ShapeError('Transpose', `perm [${p.join(',')}] does not fit input ${fmtShape(x.shape)}`);
  if (p.every((v, i) => v === i)) return x;
  return x.graph.addNode('Transpose', [x], { perm: ints(p) }, [
    { dtype: x.dtype, shape: p.map((i) => x.shape[i]) },
  ])[0];
}

export function concat(xs: readonly SymbolicTensor[], axis: number): SymbolicTensor {
  if (xs.length === 0) throw new ShapeError('Concat', 'needs at least one input');
  if (xs.length === 1) return xs[0];
  const r = xs[0].rank;
  const a = normAxis('Concat', axis, r, xs[0].shape);
  const dtype = sameDType('Concat', xs);
  const out = [...xs[0].shape];
  out[a] = 0;
  for (const x of xs) {
    if (x.rank !== r || x.shape.some((d, i) => i !== a && d !== xs[0].shape[i]))
      throw new ShapeError(
        'Concat',
        `inputs ${xs.map((t) => fmtShape(t.shape)).join(', ')} differ outside axis ${axis}`,
      );
    out[a] += x.shape[a];
  }
  return xs[0].graph.addNode('Concat', xs, { axis: int(a) }, [{ dtype, shape: out }])[0];
}

/** Split into pieces of the given sizes along an axis (sizes must add up to the axis length). */
export function split(x: SymbolicTensor, sizes: readonly number[], axis: number): SymbolicTensor[] {
  const a = normAxis('Split', axis, x.rank, x.shape);
  const total = sizes.reduce((s, v) => s + v, 0);
  if (total !== x.shape[a] || sizes.some((s) => s < 0 || !Number.isInteger(s)))
    throw new ShapeError(
      'Split',
      `sizes [${sizes.join(',')}] do not add up to ${fmtShape(x.shape)} along axis ${axis}`,
    );
  if (sizes.length === 1) return [x];
  return x.graph.addNode(
    'Split',
    [x, x.graph.int64s(sizes)],
    { axis: int(a) },
    sizes.map((s) => {
      const shape = [...x.shape];
      shape[a] = s;
      return { dtype: x.dtype, shape };
    }),
  );
}

/** Resolves one Slice bound the way ONNX does (negative = from the end, clamped). */
function sliceCount(dim: number, start: number, end: number, step: number): [number, number] {
  if (step === 0) throw new Error('step 0');
  let s = start < 0 ? start + dim : start;
  let e = end < 0 ? end + dim : end;
  if (step > 0) {
    s = Math.min(Math.max(s, 0), dim);
    e = Math.min(Math.max(e, 0), dim);
    return [s, Math.max(0, Math.ceil((e - s) / step))];
  }
  s = Math.min(Math.max(s, 0), dim - 1);
  e = Math.min(Math.max(e, -1), dim - 1);
  return [s, Math.max(0, Math.ceil((s - e) / -step))];
}

export interface SliceSpec {
  starts: readonly number[];
  ends: readonly number[];
  axes?: readonly number[];
  steps?: readonly number[];
}

export function slice(x: SymbolicTensor, spec: SliceSpec): SymbolicTensor {
  const axes = spec.axes
    ? spec.axes.map((a) => normAxis('Slice', a, x.rank, x.shape))
    : spec.starts.map((_, i) => i);
  const steps = spec.steps ?? axes.map(() => 1);
  if (spec.starts.length !== axes.length || spec.ends.length !== axes.length || steps.length !== axes.length)
    throw new ShapeError('Slice', `starts/ends/axes/steps lengths differ for input ${fmtShape(x.shape)}`);
  const out = [...x.shape];
  let trivial = true;
  axes.forEach((a, i) => {
    if (steps[i] === 0) throw new ShapeError('Slice', `step 0 on axis ${a} of ${fmtShape(x.shape)}`);
    const [s, n] = sliceCount(x.shape[a], spec.starts[i], spec.ends[i], steps[i]);
    out[a] = n;
    if (!(steps[i] === 1 && s === 0 && n === x.shape[a])) trivial = false;
  });
  if (trivial) return x;
  const g = x.graph;
  const inputs = [g.int64s(spec.starts), g.int64s(spec.ends), g.int64s(axes)];
  if (steps.some((s) => s !== 1)) inputs.push(g.int64s(steps));
  return g.addNode('Slice', [x, ...inputs], {}, [{ dtype: x.dtype, shape: out }])[0];
}

export type PadMode = 'constant' | 'reflect' | 'edge';

/** pads = [begin_0, …, begin_{r-1}, end_0, …, end_{r-1}] as in ONNX; negative pads crop. */
export function pad(
  x: SymbolicTensor,
  pads: readonly number[],
  mode: PadMode = 'constant',
  value = 0,
): SymbolicTensor {
  const r = x.rank;
  if (pads.length !== 2 * r)
    throw new ShapeError(
      'Pad',
      `needs ${2 * r} pads for input ${fmtShape(x.shape)}, got [${pads.join(',')}]`,
    );
  const out = x.shape.map((d, i) => d + pads[i] + pads[i + r]);
  if (out.some((d) => d < 0))
    throw new ShapeError('Pad', `pads [${pads.join(',')}] crop input ${fmtShape(x.shape)} below zero`);
  if (pads.every((p) => p === 0)) return x;
  const g = x.graph;
  const inputs = [x, g.int64s(pads)];
  if (mode === 'constant' && value !== 0) inputs.push(g.scalar(value, x.dtype));
  return g.addNode('Pad', inputs, mode === 'constant' ? {} : { mode: str(mode) }, [
    { dtype: x.dtype, shape: out },
  ])[0];
}

export function unsqueeze(x: SymbolicTensor, axes: readonly number[]): SymbolicTensor {
  const r = x.rank + axes.length;
  const norm = axes.map((a) => normAxis('Unsqueeze', a, r, x.shape)).sort((p, q) => p - q);
  const out: number[] = [];
  let k = 0;
  for (let i = 0; i < r; i++) out.push(norm.includes(i) ? 1 : x.shape[k++]);
  return reshape(x, out);
}

export function squeeze(x: SymbolicTensor, axes?: readonly number[]): SymbolicTensor {
  const norm = axes
    ? axes.map((a) => normAxis('Squeeze', a, x.rank, x.shape))
    : x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
  for (const a of norm)
    if (x.shape[a] !== 1) throw new ShapeError('Squeeze', `axis ${a} of ${fmtShape(x.shape)} is not 1`);
  return reshape(
    x,
    x.shape.filter((_, i) => !norm.includes(i)),
  );
}

export function expand(x: SymbolicTensor, shape: Shape): SymbolicTensor {
  const r = Math.max(x.rank, shape.length);
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    const a = x.shape[x.rank - r + i] ?? 1;
    const b = shape[shape.length - r + i] ?? 1;
    if (a !== b && a !== 1 && b !== 1)
      throw new ShapeError('Expand', `cannot expand ${fmtShape(x.shape)} to ${fmtShape(shape)}`);
    out.push(Math.max(a, b));
  }
  if (sameShape(out, x.shape)) return x;
  return x.graph.addNode('Expand', [x, x.graph.int64s(shape)], {}, [{ dtype: x.dtype, shape: out }])[0];
}
