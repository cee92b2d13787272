/**
 * BatchNormalization over axis 1 (PyTorch's BatchNorm1d/2d/3d). Training normalises with the batch's
 * biased variance and moves the running statistics as PyTorch does (momentum 0.1 weighs the new
 * batch, running variance takes the unbiased batch variance); inference uses the running statistics.
 * Built from Reduce and elementwise ops, so autodiff needs no BatchNorm rule.
 */
import type { SymbolicTensor } from '../onnx/graph.ts';
import { add, mul, reciprocal, sqrt, sub } from '../onnx/ops/elementwise.ts';
import { reduceMean } from '../onnx/ops/reduce.ts';
import { reshape } from '../onnx/ops/shape.ts';
import type { Layer } from './conv.ts';
import type { Ctx, Scope } from './model.ts';

export interface BatchNormOptions {
  channels: number;
  eps?: number;
  momentum?: number;
}

export class BatchNormalization implements Layer {
  readonly gamma: string;
  readonly beta: string;
  readonly runningMean: string;
  readonly runningVar: string;
  readonly eps: number;
  readonly momentum: number;

  constructor(
    scope: Scope,
    name: string,
    readonly opts: BatchNormOptions,
  ) {
    const s = scope.child(name);
    const c = opts.channels;
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum ?? 0.1;
    this.gamma = s.param('weight', [c], { kind: 'constant', value: 1 });
    this.beta = s.param('bias', [c], { kind: 'constant', value: 0 });
    this.runningMean = s.state('running_mean', [c], 0);
    this.runningVar = s.state('running_var', [c], 1);
  }

  apply(ctx: Ctx, x: SymbolicTensor): SymbolicTensor {
    const c = this.opts.channels;
    if (x.rank < 2 || x.shape[1] !== c)
      throw new RangeError(
        `BatchNormalization: input [${x.shape.join(',')}] must have ${c} channels on axis 1`,
      );
    const bshape = x.shape.map((d, i) => (i === 1 ? d : 1));
    const gamma = reshape(ctx.param(this.gamma), bshape);
    const beta = reshape(ctx.param(this.beta), bshape);
    if (!ctx.training) {
      const rm = reshape(ctx.state(this.runningMean), bshape);
      const rv = reshape(ctx.state(this.runningVar), bshape);
      const scale = mul(gamma, reciprocal(sqrt(add(rv, this.eps))));
      return add(mul(sub(x, rm), scale), beta);
    }
    const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
    const count = x.size / c;
    const mean = reduceMean(x, { axes, keepdims: true });
    const d = sub(x, mean);
    const variance = reduceMean(mul(d, d), { axes, keepdims: true });
    // gamma·invstd is per channel, so the big tensor sees only one Mul and one Add.
    const scale = mul(gamma, reciprocal(sqrt(add(variance, this.eps))));
    const y = add(mul(d, scale), beta);
    const m = this.momentum;
    const unbiased = count > 1 ? count / (count - 1) : 1;
    ctx.updateState(
      this.runningMean,
      add(mul(ctx.state(this.runningMean), 1 - m), mul(reshape(mean, [c]), m)),
    );
    ctx.updateState(
      this.runningVar,
      add(mul(ctx.state(this.runningVar), 1 - m), mul(reshape(variance, [c]), m * unbiased)),
    );
    return y;
  }
}

export const batchNormalization = (scope: Scope, name: string, opts: BatchNormOptions): BatchNormalization =>
  new BatchNormalization(scope, name, opts);
