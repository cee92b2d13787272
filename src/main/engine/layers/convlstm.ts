/**
 * ConvLSTM2D, as the seed paper and bench/torch_reference.py define it: the gates come from
 * one k×k convolution over concat(x_t, h_{t−1}) with a bias, ordered i, f, g, o, no peepholes:
 *   c_t = σ(f)·c_{t−1} + σ(i)·tanh(g),  h_t = σ(o)·tanh(c_t).
 * The weight keeps PyTorch's layout [4·hid, in + hid, k, k] so weights load one to one.
 *
 * By linearity the convolution splits into an input part and a recurrent part. The input part does
 * not depend on the recurrence, so the wrapper computes it for every step at once as one Conv3D with
 * a (1, k, k) kernel over [N, in, T, H, W], which is far faster than T small convolutions and whose
 * weight gradient is one big im2col product; only the recurrent part stays in the loop.
 *
 * The recurrent part's weight gradient is folded the same way: Σ_t conv-weight-grad(h_{t−1}, dgates_t)
 * is the weight gradient of a (1, k, k) Conv3D of the previous-state sequence [N, hid, T−1, H, W]
 * (every step but the first processed) against the same T−1 steps of d gx, which the tape already
 * assembles whole (dgates_t = d gx_t). So the step convolutions leave their weight out and the wrapper
 * adds that single product (autodiff/custom.ts): 9 GEMMs with K = (T−1)·H·W instead of 9·(T−1) with
 * K = H·W.
 */
import { addGradientContribution, overrideGradient } from '../autodiff/custom.ts';
import { rule as convRule, weightGrad } from '../autodiff/gradients/Conv.ts';
import type { SymbolicTensor } from '../onnx/graph.ts';
import { conv } from '../onnx/ops/conv.ts';
import { add, mul, sigmoid, tanh } from '../onnx/ops/elementwise.ts';
import { concat, reshape, slice, split, unsqueeze } from '../onnx/ops/shape.ts';
import type { Layer } from './conv.ts';
import { fanInBound, type Ctx, type Scope } from './model.ts';

export interface ConvLSTMOptions {
  inChannels: number;
  filters: number;
  kernel?: number;
  /** true: every step's h as [N, filters, T, H, W]; false: the last step's h as [N, filters, H, W]. */
  returnSequences?: boolean;
  /** Run the recurrence from the last step to the first (outputs stay in time order). */
  goBackwards?: boolean;
}

export interface CellState {
  h: SymbolicTensor;
  c: SymbolicTensor;
}

/** One step of the recurrence; weights are declared once, on construction. */
export class ConvLSTMCell {
  readonly weight: string;
  readonly bias: string;
  readonly pad: number;

  constructor(
    scope: Scope,
    name: string,
    readonly inChannels: number,
    readonly filters: number,
    readonly kernel = 3,
  ) {
    if (kernel % 2 === 0)
      throw new RangeError(`${name}: kernel must be odd for 'same' padding, got ${kernel}`);
    // `<name>.conv.weight`, as PyTorch names the cell's convolution, so state dicts map one to one.
    const s = scope.child(name).child('conv');
    const fanIn = (inChannels + filters) * kernel * kernel;
    this.weight = s.param('weight', [4 * filters, inChannels + filters, kernel, kernel], fanInBound(fanIn));
    this.bias = s.param('bias', [4 * filters], fanInBound(fanIn));
    this.pad = (kernel - 1) / 2;
  }

  /** The input-part weight as a (1, k, k) Conv3D kernel, and the recurrent-part weight. */
  weights(ctx: Ctx): { wx: SymbolicTensor; wh: SymbolicTensor } {
    const w = ctx.param(this.weight);
    const ci = this.inChannels;
    const wx = unsqueeze(slice(w, { starts: [0], ends: [ci], axes: [1] }), [2]);
    const wh = slice(w, { starts: [ci], ends: [ci + this.filters], axes: [1] });
    return { wx, wh };
  }

  /** Input contribution to the gates (bias included) for all steps: [N, 4·hid, T, H, W]. */
  inputGates(ctx: Ctx, x: SymbolicTensor): SymbolicTensor {
    if (x.rank !== 5 || x.shape[1] !== this.inChannels)
      throw new RangeError(`ConvLSTM: input [${x.shape.join(',')}] must be [N, ${this.inChannels}, T, H, W]`);
    const p = this.pad;
    return conv(x, this.weights(ctx).wx, ctx.param(this.bias), { pads: [0, p, p, 0, p, p] });
  }

  /**
   * One step given the input gates of that step [N, 4·hid, H, W]; a null state means zeros.
   * `foldedWeightGrad`: the caller adds the recurrent weight's gradient itself (see foldRecurrentWeightGrad),
   * so this step's convolution passes gradient to h only.
   */
  step(ctx: Ctx, gx: SymbolicTensor, state: CellState | null, foldedWeightGrad = false): CellState {
    const p = this.pad;
    let gates = gx;
    if (state) {
      const rec = conv(state.h, this.weights(ctx).wh, null, { pads: [p, p, p, p] });
      if (foldedWeightGrad && rec.producer)
        overrideGradient(rec.producer, (c) => convRule.grad({ ...c, needs: [c.needs[0], false] }));
      gates = add(gx, rec);
    }
    const hid = this.filters;
    const [i, f, g, o] = split(gates, [hid, hid, hid, hid], 1);
    const ig = mul(sigmoid(i), tanh(g));
    const c = state ? add(mul(sigmoid(f), state.c), ig) : ig;
    return { h: mul(sigmoid(o), tanh(c)), c };
  }

  /**
   * Adds the recurrent weight's whole gradient, for steps run with foldedWeightGrad: `gx` is the
   * inputGates tensor whose gradient is every step's dgates, `prev` the previous state h of every step
   * but the first processed as [N, hid, T − 1, H, W] in time order, `skip` which time index that was.
   */
  foldRecurrentWeightGrad(ctx: Ctx, gx: SymbolicTensor, prev: SymbolicTensor, skip: 'first' | 'last'): void {
    const wh = this.weights(ctx).wh;
    const p = this.pad;
    const k = this.kernel;
    const t = gx.shape[2];
    addGradientContribution(gx, wh, (dgx) => {
      // One (parallel) Split drops the time index that had no previous state.
      const parts = split(dgx, skip === 'first' ? [1, t - 1] : [t - 1, 1], 2);
      return weightGrad(prev, wh, skip === 'first' ? parts[1] : parts[0], {
        kernel: [1, k, k],
        strides: [1, 1, 1],
        pads: [0, p, p, 0, p, p],
        dilations: [1, 1, 1],
        group: 1,
      });
    });
  }
}

/** The sequence wrapper: owns the loop over time. Input [N, C, T, H, W]. */
export class ConvLSTM2D implements Layer {
  readonly cell: ConvLSTMCell;

  constructor(
    scope: Scope,
    name: string,
    readonly opts: ConvLSTMOptions,
  ) {
    this.cell = new ConvLSTMCell(scope, name, opts.inChannels, opts.filters, opts.kernel ?? 3);
  }

  outputShape(input: readonly number[]): number[] {
    const [n, , t, h, w] = input;
    return this.opts.returnSequences === false
      ? [n, this.opts.filters, h, w]
      : [n, this.opts.filters, t, h, w];
  }

  /**
   * Every step's h, indexed by time (not by order of processing). `gates`: this layer's inputGates of x
   * computed by the caller (Bidirectional computes both directions' in one convolution).
   */
  steps(ctx: Ctx, x: SymbolicTensor, gates?: SymbolicTensor): SymbolicTensor[] {
    const [n, , t, h, w] = x.shape;
    const gx = gates ?? this.cell.inputGates(ctx, x);
    const g4 = 4 * this.opts.filters;
    const out = new Array<SymbolicTensor>(t);
    const fold = t > 1;
    let state: CellState | null = null;
    // One Split rather than T Slices: ORT runs Split on both threads and Slice on one, and Split's
    // gradient is a single Concat.
    const perStep = t > 1 ? split(gx, new Array<number>(t).fill(1), 2) : [gx];
    for (let k = 0; k < t; k++) {
      const s = this.opts.goBackwards ? t - 1 - k : k;
      const gs = reshape(perStep[s], [n, g4, h, w]);
      state = this.cell.step(ctx, gs, state, fold);
      out[s] = state.h;
    }
    if (fold) {
      // The state each step started from, by time index: the neighbour it was processed after. The
      // first processed step had none, so its time index is left out of both factors.
      const frames = out.map((hs) => unsqueeze(hs, [2]));
      const prev = concat(this.opts.goBackwards ? frames.slice(1) : frames.slice(0, -1), 2);
      this.cell.foldRecurrentWeightGrad(ctx, gx, prev, this.opts.goBackwards ? 'last' : 'first');
    }
    return out;
  }

  apply(ctx: Ctx, x: SymbolicTensor, gates?: SymbolicTensor): SymbolicTensor {
    const hs = this.steps(ctx, x, gates);
    if (this.opts.returnSequences === false) return hs[this.opts.goBackwards ? 0 : hs.length - 1];
    return concat(
      hs.map((h) => unsqueeze(h, [2])),
      2,
    );
  }
}

export const convLstm2d = (scope: Scope, name: string, opts: ConvLSTMOptions): ConvLSTM2D =>
  new ConvLSTM2D(scope, name, opts);
