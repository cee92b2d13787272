/**
 * Bidirectional: a forward and a backward copy of a recurrent layer over the same input, outputs
 * concatenated on the channel axis (forward first), as Keras' merge_mode='concat' and
 * torch_reference.py's BiConvLSTM. Parameters live under `<name>.fw` and `<name>.bw`.
 */
import type { SymbolicTensor } from '../onnx/graph.ts';
import { concat } from '../onnx/ops/shape.ts';
import type { Layer } from './conv.ts';
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
    return concat([this.forward.apply(ctx, x), this.backward.apply(ctx, x)], 1);
  }
}
