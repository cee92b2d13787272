/**
 * The default network and its losses. What the DC experiment taught shapes it: a short run of daily
 * counts cannot see long-run hot spots, so background channels reach the output through a 1×1
 * shortcut that starts out as the decayed-KDE ranking, and the recurrent branch's output layer starts
 * at zero, so training begins at the baseline and can only move away from it if validation agrees.
 *
 * Output [N, 1 + types, H, W]: channel 0 the risk (a logit for BCE, a log-rate for Poisson and the
 * multinomial), channels 1.. the next event's type logits. Target [N, 2 + types, H, W]: the 0/1
 * indicator and the counts of every event, then each type's share of the cell's typed events.
 */
import { convLstm2d, conv2d, defineModel, type ModelDef } from '../../engine/layers/index.ts';
import type { SymbolicTensor } from '../../engine/onnx/graph.ts';
import { add, div, exp, mul, neg, relu, softplus, sub } from '../../engine/onnx/ops/elementwise.ts';
import { logSoftmax } from '../../engine/onnx/ops/pool.ts';
import { reduceMean, reduceSum } from '../../engine/onnx/ops/reduce.ts';
import { concat, reshape, slice } from '../../engine/onnx/ops/shape.ts';

export const SEQ_INPUT = 'seq';
export const STAT_INPUT = 'stat';

export type RiskLoss = 'bce' | 'poisson' | 'multinomial';

export interface NetConfig {
  types: number;
  staticChannels: number;
  hidden: number;
  layers: number;
  kernel: number;
  head: number;
}

export function defaultNet(c: NetConfig): ModelDef {
  return defineModel('shotcast-convlstm', (s) => {
    const lstms = Array.from({ length: c.layers }, (_, i) =>
      convLstm2d(s, `lstm${i}`, {
        inChannels: i === 0 ? c.types : c.hidden,
        filters: c.hidden,
        kernel: c.kernel,
        returnSequences: i < c.layers - 1,
      }),
    );
    const mix = conv2d(s, 'mix', { inChannels: c.hidden + c.staticChannels, filters: c.head, kernel: 3 });
    const out = conv2d(s, 'out', { inChannels: c.head, filters: 1 + c.types, kernel: 1 });
    const short = conv2d(s, 'short', { inChannels: c.staticChannels, filters: 1, kernel: 1 });
    return (ctx, inputs) => {
      const seq = inputs[SEQ_INPUT];
      const stat = inputs[STAT_INPUT];
      if (!seq || !stat)
        throw new Error(`shotcast-convlstm: needs inputs '${SEQ_INPUT}' and '${STAT_INPUT}'`);
      let h: SymbolicTensor = seq;
      for (const l of lstms) h = l.apply(ctx, h);
      const z = relu(mix.apply(ctx, concat([h, stat], 1)));
      const o = out.apply(ctx, z);
      const risk = add(slice(o, { starts: [0], ends: [1], axes: [1] }), short.apply(ctx, stat));
      return concat([risk, slice(o, { starts: [1], ends: [1 + c.types], axes: [1] })], 1);
    };
  });
}

export interface LossConfig {
  risk: RiskLoss;
  posWeight: number;
  /** Weight of the type head's cross-entropy. */
  typeWeight: number;
  types: number;
  /**
   * With either > 0 the target has one more channel after the type shares, the top-cell mask m
   * (topcells.ts): BCE and Poisson weigh cell i by 1 + topWeight·m_i (normalised by the weights'
   * sum), and rankWeight adds a count-weighted softmax cross-entropy over the top cells only.
   */
  topWeight?: number;
  rankWeight?: number;
}

/** True when the loss reads the top-cell mask channel of the target. */
export const usesTopMask = (c: Pick<LossConfig, 'topWeight' | 'rankWeight'>): boolean =>
  (c.topWeight ?? 0) > 0 || (c.rankWeight ?? 0) > 0;

// Logit offset that takes cells outside the top set out of the ranking softmax (e^−30 ≈ 1e−13).
const OUTSIDE = 30;

const channels = (x: SymbolicTensor, from: number, to: number): SymbolicTensor =>
  slice(x, { starts: [from], ends: [to], axes: [1] });

/** Scalar loss on the network output and the stacked target. */
export function makeLoss(c: LossConfig): (pred: SymbolicTensor, target: SymbolicTensor) => SymbolicTensor {
  return (pred, target) => {
    const [n, , hgt, wid] = pred.shape;
    const z = channels(pred, 0, 1);
    const ind = channels(target, 0, 1);
    const counts = channels(target, 1, 2);
    const top = usesTopMask(c) ? channels(target, 2 + c.types, 3 + c.types) : null;
    const topWeight = c.topWeight ?? 0;
    const cellMean = (x: SymbolicTensor): SymbolicTensor => {
      if (!top || topWeight <= 0) return reduceMean(x, { keepdims: false });
      const w = add(mul(top, topWeight), 1);
      return div(reduceSum(mul(w, x), { keepdims: false }), reduceSum(w, { keepdims: false }));
    };
    let risk: SymbolicTensor;
    if (c.risk === 'bce') {
      // pw·y·softplus(−z) + (1−y)·softplus(z) is −[pw·y·log σ(z) + (1−y)·log(1−σ(z))].
      const pos = mul(mul(ind, c.posWeight), softplus(neg(z)));
      const negPart = mul(sub(1, ind), softplus(z));
      risk = cellMean(add(pos, negPart));
    } else if (c.risk === 'poisson') {
      risk = cellMean(sub(exp(z), mul(counts, z)));
    } else {
      // Where tomorrow's events fall, given how many: a softmax over cells per step, weighted by counts.
      const logp = logSoftmax(reshape(z, [n, hgt * wid]), -1);
      const ll = reduceSum(mul(reshape(counts, [n, hgt * wid]), logp), { keepdims: false });
      const events = add(reduceSum(counts, { keepdims: false }), 1);
      risk = neg(div(ll, events));
    }
    if (top && (c.rankWeight ?? 0) > 0) {
      // Which of the top cells tomorrow's events fall in: the order among them is what HR@1–5 % scores.
      const masked = add(z, mul(sub(top, 1), OUTSIDE));
      const logp = logSoftmax(reshape(masked, [n, hgt * wid]), -1);
      const y = reshape(mul(counts, top), [n, hgt * wid]);
      const ll = reduceSum(mul(y, logp), { keepdims: false });
      const events = add(reduceSum(y, { keepdims: false }), 1);
      risk = add(risk, mul(neg(div(ll, events)), c.rankWeight ?? 0));
    }
    if (c.typeWeight <= 0) return risk;
    const share = channels(target, 2, 2 + c.types);
    const lt = logSoftmax(channels(pred, 1, 1 + c.types), 1);
    const ce = neg(reduceSum(mul(share, lt), { keepdims: false }));
    // Averaged over the cells with a typed event (their shares sum to 1; an untyped event's cell has none).
    const cellsWithTypes = add(reduceSum(share, { keepdims: false }), 1);
    return add(risk, mul(div(ce, cellsWithTypes), c.typeWeight));
  };
}

/** Expected events per cell from the risk channel, for ranking and for p = 1 − e^(−λ). */
export function riskToRate(z: number, loss: RiskLoss): number {
  if (loss === 'bce') {
    // λ = −log(1 − σ(z)) = softplus(z).
    return z > 30 ? z : Math.log1p(Math.exp(z));
  }
  return Math.exp(z);
}
