/**
 * The model-definition interface. A model is built once, as plain data plus a function: layers are
 * constructed against a Scope, which records every parameter (trainable, with its initialiser) and
 * every state tensor (BatchNorm's running statistics) under a dotted name; the forward function then
 * emits nodes into whatever graph a Ctx hands it. The runtime calls the same forward function for the
 * train-step graph (training: true) and for the inference graph (training: false), and decides
 * whether parameters are graph inputs (training, evaluation) or baked initializers (export).
 */
import type { Shape } from '../onnx/dtype.ts';
import type { Graph, SymbolicTensor } from '../onnx/graph.ts';

export type Init = { kind: 'uniform'; bound: number } | { kind: 'constant'; value: number };

export interface ParamSpec {
  name: string;
  shape: number[];
  init: Init;
}

/** Non-trainable tensors a training pass updates (running statistics); constant-initialised. */
export interface StateSpec {
  name: string;
  shape: number[];
  init: number;
}

export class Scope {
  constructor(
    readonly params: ParamSpec[] = [],
    readonly states: StateSpec[] = [],
    private readonly prefix = '',
  ) {}

  /** A sub-scope whose names start with `name.`; shares the same lists. */
  child(name: string): Scope {
    return new Scope(this.params, this.states, `${this.prefix}${name}.`);
  }

  param(name: string, shape: readonly number[], init: Init): string {
    const full = this.prefix + name;
    if (this.params.some((p) => p.name === full) || this.states.some((p) => p.name === full))
      throw new Error(`model definition: the parameter name '${full}' is used twice`);
    this.params.push({ name: full, shape: [...shape], init });
    return full;
  }

  state(name: string, shape: readonly number[], init: number): string {
    const full = this.prefix + name;
    if (this.params.some((p) => p.name === full) || this.states.some((p) => p.name === full))
      throw new Error(`model definition: the state name '${full}' is used twice`);
    this.states.push({ name: full, shape: [...shape], init });
    return full;
  }
}

/** What a forward function may ask of the graph it is emitted into. */
export interface Ctx {
  readonly graph: Graph;
  /** Training: batch statistics, dropout on, state updates recorded. Inference: running statistics. */
  readonly training: boolean;
  param(name: string): SymbolicTensor;
  state(name: string): SymbolicTensor;
  /** Records the value a state tensor takes after this training pass. */
  updateState(name: string, value: SymbolicTensor): void;
  /**
   * A float32 tensor of uniforms in [0, 1), fed each step from the runtime's seeded RNG (so dropout
   * masks are reproducible and checkpointed with the RNG state). Only asked for in training.
   */
  noise(name: string, shape: Shape): SymbolicTensor;
}

export type Forward = (ctx: Ctx, inputs: Readonly<Record<string, SymbolicTensor>>) => SymbolicTensor;

export interface ModelDef {
  readonly name: string;
  readonly params: readonly ParamSpec[];
  readonly states: readonly StateSpec[];
  /** Returns the model's output (for the presets: logits). */
  readonly forward: Forward;
}

/** Builds a model definition: `build` constructs the layers on a scope and returns the forward function. */
export function defineModel(name: string, build: (scope: Scope) => Forward): ModelDef {
  const scope = new Scope();
  const forward = build(scope);
  return { name, params: scope.params, states: scope.states, forward };
}

/** The PyTorch default bound for conv and linear layers: U(±1/√fan_in) for weights and biases. */
export function fanInBound(fanIn: number): Init {
  return { kind: 'uniform', bound: 1 / Math.sqrt(fanIn) };
}
