/**
 * Inverted dropout. The mask comes from a noise input the runtime fills from its seeded RNG, not
 * from ONNX's Dropout op, whose generator lives inside ORT where a checkpoint cannot reach it.
 */
import type { SymbolicTensor } from '../onnx/graph.ts';
import { cast, greaterOrEqual, mul } from '../onnx/ops/elementwise.ts';
import type { Layer } from './conv.ts';
import type { Ctx } from './model.ts';

export class Dropout implements Layer {
  constructor(
    readonly name: string,
    readonly rate: number,
  ) {
    if (!(rate >= 0 && rate < 1))
      throw new RangeError(`Dropout '${name}': rate must be in [0, 1), got ${rate}`);
  }

  apply(ctx: Ctx, x: SymbolicTensor): SymbolicTensor {
    if (!ctx.training || this.rate === 0) return x;
    const keep = cast(greaterOrEqual(ctx.noise(this.name, x.shape), this.rate), x.dtype);
    return mul(x, mul(keep, 1 / (1 - this.rate)));
  }
}

export const dropout = (name: string, rate: number): Dropout => new Dropout(name, rate);
