/**
 * Reverse-mode autodiff over a Graph. The graph's node list is the tape: nodes are appended in
 * topological order, so walking it backwards from the loss visits every consumer before its producers.
 */
import { fmtShape, isFloat, sameShape } from '../onnx/dtype.ts';
import type { OpNode, SymbolicTensor } from '../onnx/graph.ts';
import { add } from '../onnx/ops/elementwise.ts';
import { zeros } from '../onnx/ops/pool.ts';
import { concat } from '../onnx/ops/shape.ts';
import { contributionsFrom, overrideFor } from './custom.ts';
import { GRADIENTS } from './gradients/index.ts';
import type { GradContext } from './rule.ts';

export interface GradientOptions {
  /** Upstream gradient of `y` (default: ones, so `y` should be a scalar loss). */
  seed?: SymbolicTensor;
  /** What to return for a wrt tensor the loss does not depend on: throw (default) or a zero tensor. */
  unconnected?: 'throw' | 'zeros';
}

/**
 * Appends the backward pass of `y` to y's graph and returns d y / d x for each x in `wrt`, in order and
 * each with x's shape. A tensor used several times has its gradients accumulated in one Sum.
 */
export function gradients(
  y: SymbolicTensor,
  wrt: readonly SymbolicTensor[],
  opts: GradientOptions = {},
): SymbolicTensor[] {
  const g = y.graph;
  if (!isFloat(y.dtype))
    throw new Error(`gradients: ${y.name} is ${y.dtype}; only float values have gradients`);
  for (const x of wrt) {
    if (x.graph !== g) throw new Error(`gradients: ${x.name} belongs to another graph than ${y.name}`);
    if (!isFloat(x.dtype))
      throw new Error(`gradients: ${x.name} is ${x.dtype}; only float values have gradients`);
  }
  let seed = opts.seed;
  if (seed) {
    if (!sameShape(seed.shape, y.shape) || seed.dtype !== y.dtype)
      throw new Error(`gradients: seed ${seed} does not match ${y}`);
  } else {
    if (y.size !== 1)
      throw new Error(
        `gradients: ${y.name} has shape ${fmtShape(y.shape)}; pass a seed or reduce it to a scalar`,
      );
    seed = g.constant(y.dtype, y.shape, [1]);
  }

  // Values that depend on a wrt tensor through float edges (integer and bool values carry no gradient).
  const wrtIds = new Set(wrt.map((x) => x.id));
  const dependent = new Set<number>(wrtIds);
  const nodes = g.nodes.slice();
  for (const n of nodes) {
    if (n.inputs.some((t) => t && dependent.has(t.id)))
      for (const o of n.outputs) if (isFloat(o.dtype)) dependent.add(o.id);
  }
  // Nodes on a path from a wrt tensor to y.
  const onPath: OpNode[] = [];
  const reaches = new Set<number>([y.id]);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i];
    if (!n.outputs.some((o) => reaches.has(o.id))) continue;
    if (!n.inputs.some((t) => t && dependent.has(t.id))) continue;
    onPath.push(n);
    for (const t of n.inputs) if (t) reaches.add(t.id);
  }

  const pending = new Map<number, SymbolicTensor[]>();
  const push = (t: SymbolicTensor, d: SymbolicTensor) => {
    const list = pending.get(t.id);
    if (list) list.push(d);
    else pending.set(t.id, [d]);
  };
  const total = (t: SymbolicTensor): SymbolicTensor | null => {
    const list = pending.get(t.id);
    if (!list) return null;
    const s = accumulate(list, t);
    pending.set(t.id, [s]);
    return s;
  };
  push(y, seed);

  const visited = new Set<OpNode>();
  for (const n of onPath) {
    visited.add(n);
    const dy = n.outputs.map(total);
    n.outputs.forEach((o, i) => {
      const d = dy[i];
      if (!d) return;
      for (const c of contributionsFrom(o)) {
        if (c.target.producer && visited.has(c.target.producer))
          throw new Error(
            `gradients: ${c.target.name} gets a contribution from ${o.name}, computed after it`,
          );
        push(c.target, c.build(d));
      }
    });
    if (dy.every((d) => d === null)) continue;
    const rule = overrideFor(n) ?? GRADIENTS.get(n.op)?.grad;
    if (!rule)
      throw new Error(`gradients: no gradient rule for op '${n.op}' (node producing ${n.outputs[0]?.name})`);
    const needs = n.inputs.map((t) => !!t && dependent.has(t.id) && reaches.has(t.id));
    const ctx: GradContext = {
      node: n,
      x: (i) => {
        const t = n.inputs[i];
        if (!t) throw new Error(`${n.op}: gradient rule read omitted input ${i}`);
        return t;
      },
      y: (i) => n.outputs[i],
      dy,
      needs,
    };
    const dx = rule(ctx);
    n.inputs.forEach((t, i) => {
      const d = dx[i];
      if (!t || !needs[i] || !d) return;
      if (!sameShape(d.shape, t.shape) || d.dtype !== t.dtype)
        throw new Error(`gradients: rule for '${n.op}' gave ${d} for input ${t}`);
      push(t, d);
    });
  }

  return wrt.map((x) => {
    const d = total(x);
    if (d) return d;
    if (opts.unconnected === 'zeros') return zeros(x, x.shape);
    throw new Error(`gradients: ${y.name} does not depend on ${x.name}`);
  });
}

interface Piece {
  inner: SymbolicTensor;
  axis: number;
  start: number;
  end: number;
}

/** A zero Pad along a single axis, as Slice's gradient emits: which window of the axis it fills. */
function asAxisPad(d: SymbolicTensor): Piece | null {
  const p = d.producer;
  if (!p || p.op !== 'Pad' || p.inputs.length !== 2 || p.attrs.mode) return null;
  const pads = p.inputs[1]?.constant?.values;
  const inner = p.inputs[0];
  if (!pads || !inner) return null;
  const r = d.rank;
  const axes = d.shape.map((_, i) => i).filter((i) => pads[i] !== 0 || pads[i + r] !== 0);
  if (axes.length !== 1 || pads[axes[0]] < 0 || pads[axes[0] + r] < 0) return null;
  const axis = axes[0];
  return { inner, axis, start: pads[axis], end: d.shape[axis] - pads[axis + r] };
}

/**
 * Adds contributions pairwise: ORT runs Add on both threads but its variadic Sum on one (a 3-way Sum
 * of [20,64,7,36,36] took 145 ms). A contribution that only broadcasts a smaller tensor (an Expand, as
 * reductions' gradients are) is added unexpanded when some other contribution has the full shape.
 */
function sum(list: readonly SymbolicTensor[]): SymbolicTensor {
  if (list.length === 0) throw new Error('gradients: no contribution to sum');
  if (list.length === 1) return list[0];
  const full = list.some((d) => d.producer?.op !== 'Expand');
  const terms = list.map((d) => {
    const inner = full && d.producer?.op === 'Expand' ? d.producer.inputs[0] : null;
    return inner ?? d;
  });
  terms.sort((a, b) => b.size - a.size);
  let level = terms;
  while (level.length > 1) {
    const next: SymbolicTensor[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(add(level[i], level[i + 1]));
    if (level.length % 2) next.push(level[level.length - 1]);
    level = next;
  }
  return level[0];
}

/**
 * Sums the gradient contributions of one tensor. Contributions that are zero-padded windows of one
 * axis (a tensor read slice by slice, e.g. a recurrence over time) and do not overlap are joined
 * with a single Concat instead of summing full-size padded copies.
 */
function accumulate(list: readonly SymbolicTensor[], like: SymbolicTensor): SymbolicTensor {
  if (list.length < 2) return sum(list);
  const pieces = list.map(asAxisPad);
  const byAxis = new Map<number, number>();
  for (const pc of pieces) if (pc) byAxis.set(pc.axis, (byAxis.get(pc.axis) ?? 0) + 1);
  const best = [...byAxis.entries()].sort((a, b) => b[1] - a[1])[0];
  if (!best || best[1] < 2) return sum(list);
  const axis = best[0];
  const windows = new Map<string, { start: number; end: number; inners: SymbolicTensor[] }>();
  const rest: SymbolicTensor[] = [];
  list.forEach((d, i) => {
    const pc = pieces[i];
    if (!pc || pc.axis !== axis) return void rest.push(d);
    const key = `${pc.start}:${pc.end}`;
    const w = windows.get(key);
    if (w) w.inners.push(pc.inner);
    else windows.set(key, { start: pc.start, end: pc.end, inners: [pc.inner] });
  });
  const sorted = [...windows.values()].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++) if (sorted[i].start < sorted[i - 1].end) return sum(list);
  const parts: SymbolicTensor[] = [];
  let at = 0;
  const gap = (len: number) => {
    const shape = [...like.shape];
    shape[axis] = len;
    parts.push(zeros(like, shape));
  };
  for (const w of sorted) {
    if (w.start > at) gap(w.start - at);
    parts.push(sum(w.inners));
    at = w.end;
  }
  if (at < like.shape[axis]) gap(like.shape[axis] - at);
  return sum([concat(parts, axis), ...rest]);
}
