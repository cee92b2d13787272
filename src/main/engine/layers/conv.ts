/** Conv2D and Conv3D layers, NC… layout, PyTorch's weight layout [out, in, k…] and default init. */
import type { SymbolicTensor } from '../onnx/graph.ts';
import { conv } from '../onnx/ops/conv.ts';
import { fanInBound, type Ctx, type Scope } from './model.ts';

export interface ConvLayerOptions {
  inChannels: number;
  filters: number;
  /** One size for every spatial axis, or one per axis. */
  kernel: number | readonly number[];
  /** 'same' pads k//2 on both sides (odd kernels); 'valid' pads nothing. */
  padding?: 'same' | 'valid';
  strides?: number | readonly number[];
  bias?: boolean;
}

export interface Layer {
  apply(ctx: Ctx, x: SymbolicTensor): SymbolicTensor;
}

export class ConvND implements Layer {
  readonly weight: string;
  readonly bias: string | null;
  readonly kernel: number[];
  private readonly pads: number[];
  private readonly strides: number[];

  constructor(scope: Scope, name: string, rank: 2 | 3, opts: ConvLayerOptions) {
    const k = typeof opts.kernel === 'number' ? new Array<number>(rank).fill(opts.kernel) : [...opts.kernel];
    if (k.length !== rank) throw new RangeError(`${name}: kernel needs ${rank} sizes, got ${k.length}`);
    const padding = opts.padding ?? 'same';
    if (padding === 'same' && k.some((v) => v % 2 === 0))
      throw new RangeError(`${name}: 'same' padding needs odd kernel sizes, got [${k.join(',')}]`);
    this.kernel = k;
    const half = k.map((v) => (padding === 'same' ? (v - 1) / 2 : 0));
    this.pads = [...half, ...half];
    this.strides =
      opts.strides === undefined
        ? k.map(() => 1)
        : typeof opts.strides === 'number'
          ? k.map(() => opts.strides as number)
          : [...opts.strides];
    const s = scope.child(name);
    const fanIn = opts.inChannels * k.reduce((a, b) => a * b, 1);
    this.weight = s.param('weight', [opts.filters, opts.inChannels, ...k], fanInBound(fanIn));
    this.bias = opts.bias === false ? null : s.param('bias', [opts.filters], fanInBound(fanIn));
  }

  apply(ctx: Ctx, x: SymbolicTensor): SymbolicTensor {
    return conv(x, ctx.param(this.weight), this.bias ? ctx.param(this.bias) : null, {
      pads: this.pads,
      strides: this.strides,
    });
  }
}

export const conv2d = (scope: Scope, name: string, opts: ConvLayerOptions): ConvND =>
  new ConvND(scope, name, 2, opts);
export const conv3d = (scope: Scope, name: string, opts: ConvLayerOptions): ConvND =>
  new ConvND(scope, name, 3, opts);
