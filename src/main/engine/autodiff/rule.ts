/** The contract between the reverse walk (tape.ts) and the per-op gradient rules (gradients/<Op>.ts). */
import { sameShape, type Shape } from '../onnx/dtype.ts';
import type { OpNode, SymbolicTensor } from '../onnx/graph.ts';
import { reduceSum } from '../onnx/ops/reduce.ts';
import { expand, reshape } from '../onnx/ops/shape.ts';

export interface GradContext {
  readonly node: OpNode;
  /** Forward input i (throws if the optional input was omitted). */
  x(i: number): SymbolicTensor;
  /** Forward output i. */
  y(i: number): SymbolicTensor;
  /** Upstream gradient per output; null where that output does not reach the loss. */
  readonly dy: readonly (SymbolicTensor | null)[];
  /** Whether input i needs a gradient; rules skip building the others. */
  readonly needs: readonly boolean[];
}

export interface GradientRule {
  readonly op: string;
  /** One entry per input: its gradient (same shape as the input), or null when none is needed or defined. */
  grad(ctx: GradContext): (SymbolicTensor | null)[];
}

/** Sums a broadcast gradient back to an input's shape (ReduceSum over broadcast axes, then Reshape). */
export function reduceTo(g: SymbolicTensor, shape: Shape): SymbolicTensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  const onlyLead = axes.every((a) => a < lead);
  return reshape(reduceSum(g, { axes, keepdims: !onlyLead }), shape);
}

/** The first upstream gradient, for single-output ops (the walk only calls a rule when one exists). */
export function dy0(ctx: GradContext): SymbolicTensor {
  const d = ctx.dy[0];
  if (!d) throw new Error(`${ctx.node.op}: gradient rule called without an upstream gradient`);
  return d;
}

/** The values of a constant int64 input (ONNX passes axes, pads and slice bounds this way). */
export function constInts(ctx: GradContext, i: number): number[] | null {
  const t = ctx.node.inputs[i];
  if (!t) return null;
  if (!t.constant)
    throw new Error(
      `${ctx.node.op}: gradient needs input ${i} (${t.name}) to be a constant, not a computed value`,
    );
  return Array.from(t.constant.values, Number);
}

/**
 * Broadcasts a reduction's gradient back to the input's shape. `kept` is the keepdims shape; the
 * Reshape to it is skipped when numpy broadcasting already lines dy up (reduced axes are leading).
 */
export function expandBack(dy: SymbolicTensor, kept: Shape, shape: Shape): SymbolicTensor {
  let lead = 0;
  while (lead < kept.length && kept[lead] === 1) lead++;
  const aligned = sameShape(kept.slice(lead), dy.shape.slice(dy.rank - (kept.length - lead)));
  const ok = aligned && dy.shape.slice(0, dy.rank - (kept.length - lead)).every((d) => d === 1);
  return expand(ok ? dy : reshape(dy, kept), shape);
}
