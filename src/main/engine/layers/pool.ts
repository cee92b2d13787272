/** MaxPool3D (strides default to the pool size, as in Keras and PyTorch). */
import type { SymbolicTensor } from '../onnx/graph.ts';
import { maxPool } from '../onnx/ops/pool.ts';
import type { Layer } from './conv.ts';
import type { Ctx } from './model.ts';

export class MaxPool3D implements Layer {
  constructor(
    readonly pool: readonly [number, number, number],
    readonly strides: readonly [number, number, number] = pool,
  ) {
    if (pool.some((v) => !Number.isInteger(v) || v < 1))
      throw new RangeError(`MaxPool3D: pool sizes must be positive integers, got [${pool.join(',')}]`);
  }

  apply(_ctx: Ctx, x: SymbolicTensor): SymbolicTensor {
    if (x.rank !== 5)
      throw new RangeError(`MaxPool3D: needs a rank-5 input [N,C,T,H,W], got [${x.shape.join(',')}]`);
    return maxPool(x, { kernel: this.pool, strides: this.strides })[0];
  }
}

export const maxPool3d = (
  pool: readonly [number, number, number],
  strides?: readonly [number, number, number],
): MaxPool3D => new MaxPool3D(pool, strides);
