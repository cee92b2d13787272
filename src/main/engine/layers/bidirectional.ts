/**
 * Bidirectional: a forward and a backward copy of a recurrent layer over the same input, outputs
 * concatenated on the channel axis (forward first), as Keras' merge_mode='concat' and
 * torch_reference.py's BiConvLSTM. Parameters live under `<name>.fw` and `<name>.bw`.
 */
import type { SymbolicTensor } from '../onnx/graph.ts';
import { conv } from '../onnx/ops/conv.ts';
import { concat, split } from '../onnx/ops/shape.ts';
import type { Layer } from './conv.ts';
import { ConvLSTM2D } from './convlstm.ts';
import type { Ctx, Scope } from './model.ts';

export class Bidirectional implements Layer {
  readonly forward: Layer;
  readonly backward: Layer;

  /** `make(scope, name, goBackwards)` builds one direction. */
  constructor(scope: Scope, name: string, make: (scope: Scope, name: string, goBackwards: boolean) => Layer) {
    const s = scope.child(name);
    this.forward = make(s, 'fw', false);
    this.backward = make(s, 'bw', true);
  }

  apply(ctx: Ctx, x: SymbolicTensor): SymbolicTensor {
    const { forward: f, backward: b } = this;
    if (f instanceof ConvLSTM2D && b instanceof ConvLSTM2D && f.cell.kernel === b.cell.kernel) {
      const [gf, gb] = split(stackedInputGates(ctx, f, b, x), [4 * f.opts.filters, 4 * b.opts.filters], 1);
      return concat([f.apply(ctx, x, gf), b.apply(ctx, x, gb)], 1);
    }
    return concat([f.apply(ctx, x), b.apply(ctx, x)], 1);
  }
}

/**
 * Both directions read the same x, so their input convolutions are one Conv with the two weights
 * stacked on the output-channel axis: x is im2col'ed once forward and once for the weight gradient
 * (whose GEMMs get twice the rows), and the input gradient comes out of one convolution instead of
 * two summed. The parameters stay per direction; only the graph stacks them.
 */
function stackedInputGates(ctx: Ctx, f: ConvLSTM2D, b: ConvLSTM2D, x: SymbolicTensor): SymbolicTensor {
  if (x.rank !== 5 || x.shape[1] !== f.cell.inChannels || x.shape[1] !== b.cell.inChannels)
    throw new RangeError(`ConvLSTM: input [${x.shape.join(',')}] must be [N, ${f.cell.inChannels}, T, H, W]`);
  const p = f.cell.pad;
  const w = concat([f.cell.weights(ctx).wx, b.cell.weights(ctx).wx], 0);
  const bias = concat([ctx.param(f.cell.bias), ctx.param(b.cell.bias)], 0);
  return conv(x, w, bias, { pads: [0, p, p, 0, p, p] });
}
