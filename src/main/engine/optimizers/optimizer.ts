/**
 * The optimizer contract shared by Adam and SGD. An optimizer never runs on its own: it emits its
 * update as ONNX nodes into the fused train-step graph, after the gradients, so one session run does
 * forward, backward and update. Its per-parameter state (Adam's moments, SGD's momentum buffer) are
 * graph inputs and outputs ("slots") that the runtime keeps in preallocated buffers; the learning
 * rate and the 1-based step number are scalar graph inputs, so neither a schedule nor a resumed run
 * rebuilds the graph.
 */
import type { SymbolicTensor } from '../onnx/graph.ts';

export interface Hyper {
  /** float32 scalar graph input. */
  lr: SymbolicTensor;
  /** float32 scalar graph input: the number of this step, counted from 1 (Adam's bias correction). */
  step: SymbolicTensor;
}

export interface ParamState {
  param: SymbolicTensor;
  grad: SymbolicTensor;
  /** One tensor per name in `Optimizer.slots`, shaped like the parameter. */
  slots: readonly SymbolicTensor[];
}

export interface Updated {
  param: SymbolicTensor;
  slots: SymbolicTensor[];
}

export interface OptimizerConfig {
  kind: string;
  lr: number;
  [key: string]: number | string | boolean;
}

export interface Optimizer {
  /** Per-parameter state names, e.g. ['m', 'v']; each starts at zero. */
  readonly slots: readonly string[];
  /** The default learning rate, fed as the `lr` graph input unless the trainer overrides it. */
  readonly lr: number;
  /**
   * Gradient clipping by global norm over all parameters, as torch.nn.utils.clip_grad_norm_; 0
   * turns it off.
   */
  readonly clipNorm: number;
  /** Emits the nodes that update all parameters; `hyper` nodes are shared across parameters. */
  update(states: readonly ParamState[], hyper: Hyper): Updated[];
  config(): OptimizerConfig;
}
