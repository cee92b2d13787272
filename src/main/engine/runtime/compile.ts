/**
 * Emits the two graphs a trainer runs, from a model definition:
 * - the fused train step: forward (training mode), loss, backward, optimizer update, all in one
 *   graph. Parameters, optimizer slots and model state are graph inputs, and their next values are
 *   graph outputs, so the runtime can keep them in preallocated buffers and swap them each step;
 * - the forward-only evaluation graph (inference mode), which also reports the loss when given a target.
 * Names: a parameter is fed under its own name (`l1.fw.weight`), a slot as `l1.fw.weight/m`, a state
 * as its own name; next values come out as `next/<name>`; noise for dropout is fed as `noise/<layer>`.
 */
import type { Shape } from '../onnx/dtype.ts';
import { Graph, type SymbolicTensor } from '../onnx/graph.ts';
import { gradients } from '../autodiff/index.ts';
import type { Ctx, ModelDef } from '../layers/model.ts';
import type { Optimizer } from '../optimizers/optimizer.ts';

/** A loss: prediction and target in, scalar (shape []) out. */
export type LossFn = (prediction: SymbolicTensor, target: SymbolicTensor) => SymbolicTensor;

export interface GraphSpec {
  model: ModelDef;
  loss: LossFn;
  /** Model inputs by name, batch axis first. */
  inputShapes: Readonly<Record<string, Shape>>;
  targetShape: Shape;
}

export interface CompiledTrainStep {
  bytes: Uint8Array;
  /** Noise inputs (dropout) with their shapes, in creation order. */
  noise: { name: string; shape: number[] }[];
}

export const slotName = (param: string, slot: string): string => `${param}/${slot}`;
export const nextName = (name: string): string => `next/${name}`;
export const TARGET = 'target';
export const PREDICTION = 'prediction';

interface CtxParts {
  ctx: Ctx;
  params: Map<string, SymbolicTensor>;
  states: Map<string, SymbolicTensor>;
  updates: Map<string, SymbolicTensor>;
  noise: { name: string; shape: number[] }[];
}

/**
 * The context a forward function sees. Parameters and states are graph inputs unless `baked` holds
 * their values, in which case they become initializers (standalone export).
 */
export function makeCtx(
  g: Graph,
  model: ModelDef,
  training: boolean,
  baked?: ReadonlyMap<string, Float32Array>,
): CtxParts {
  const params = new Map<string, SymbolicTensor>();
  const states = new Map<string, SymbolicTensor>();
  const updates = new Map<string, SymbolicTensor>();
  const noise: { name: string; shape: number[] }[] = [];
  const source = (name: string, shape: number[]): SymbolicTensor => {
    const v = baked?.get(name);
    return v ? g.initializer(name, 'float32', shape, v) : g.input(name, 'float32', shape);
  };
  for (const p of model.params) params.set(p.name, source(p.name, p.shape));
  for (const s of model.states) states.set(s.name, source(s.name, s.shape));
  const ctx: Ctx = {
    graph: g,
    training,
    param(name) {
      const t = params.get(name);
      if (!t) throw new Error(`model '${model.name}': no parameter named '${name}'`);
      return t;
    },
    state(name) {
      const t = states.get(name);
      if (!t) throw new Error(`model '${model.name}': no state named '${name}'`);
      return t;
    },
    updateState(name, value) {
      if (!states.has(name)) throw new Error(`model '${model.name}': no state named '${name}'`);
      if (training) updates.set(name, value);
    },
    noise(name, shape) {
      if (!training) throw new Error(`model '${model.name}': noise '${name}' asked for outside training`);
      noise.push({ name: `noise/${name}`, shape: [...shape] });
      return g.input(`noise/${name}`, 'float32', shape);
    },
  };
  return { ctx, params, states, updates, noise };
}

function dataInputs(g: Graph, spec: GraphSpec): Record<string, SymbolicTensor> {
  const inputs: Record<string, SymbolicTensor> = {};
  for (const [name, shape] of Object.entries(spec.inputShapes))
    inputs[name] = g.input(name, 'float32', shape);
  return inputs;
}

export function compileTrainStep(spec: GraphSpec, optimizer: Optimizer): CompiledTrainStep {
  const g = new Graph(`${spec.model.name}_train_step`);
  const inputs = dataInputs(g, spec);
  const target = g.input(TARGET, 'float32', spec.targetShape);
  const lr = g.input('lr', 'float32', []);
  const step = g.input('step', 'float32', []);
  const { ctx, params, states, updates, noise } = makeCtx(g, spec.model, true);
  const slots = spec.model.params.map((p) =>
    optimizer.slots.map((s) => g.input(slotName(p.name, s), 'float32', p.shape)),
  );
  const prediction = spec.model.forward(ctx, inputs);
  const loss = spec.loss(prediction, target);
  if (loss.rank !== 0) throw new Error(`loss must be a scalar, got shape [${loss.shape.join(',')}]`);
  const ps = spec.model.params.map((p) => params.get(p.name) as SymbolicTensor);
  const grads = gradients(loss, ps);
  const next = optimizer.update(
    ps.map((param, i) => ({ param, grad: grads[i], slots: slots[i] })),
    { lr, step },
  );
  g.output(loss, 'loss');
  spec.model.params.forEach((p, i) => {
    g.output(next[i].param, nextName(p.name));
    optimizer.slots.forEach((s, k) => g.output(next[i].slots[k], nextName(slotName(p.name, s))));
  });
  for (const s of spec.model.states)
    g.output(updates.get(s.name) ?? (states.get(s.name) as SymbolicTensor), nextName(s.name));
  return { bytes: g.toBytes({ docString: `train step of ${spec.model.name}` }), noise };
}

/** Forward-only graph in inference mode; outputs `prediction` and, when `withLoss`, `loss`. */
export function compileForward(
  spec: GraphSpec,
  opts: { withLoss: boolean; baked?: ReadonlyMap<string, Float32Array>; name?: string },
): Uint8Array {
  const g = new Graph(opts.name ?? `${spec.model.name}_forward`);
  const inputs = dataInputs(g, spec);
  const { ctx } = makeCtx(g, spec.model, false, opts.baked);
  const prediction = spec.model.forward(ctx, inputs);
  g.output(prediction, PREDICTION);
  if (opts.withLoss) {
    const target = g.input(TARGET, 'float32', spec.targetShape);
    g.output(spec.loss(prediction, target), 'loss');
  }
  return g.toBytes({ docString: `inference graph of ${spec.model.name}` });
}
