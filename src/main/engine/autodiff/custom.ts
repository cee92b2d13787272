/**
 * Layer-supplied gradient structure the per-op rules cannot see. A recurrent layer knows that the
 * weight gradients of its per-step convolutions sum to one big convolution weight gradient over all
 * steps at once, which runs far nearer peak than T small ones; it asks for that here:
 * - `overrideGradient` replaces one node's rule (e.g. the step convolution's, leaving out its weight);
 * - `addGradientContribution` adds `build(d source)` to `target`'s gradient as soon as the reverse walk
 *   knows the total gradient of `source`. `target` must be computed before `source` in the graph, so
 *   the walk reaches it later; the tape checks this.
 * Both are keyed by graph and only read by tape.ts.
 */
import type { Graph, OpNode, SymbolicTensor } from '../onnx/graph.ts';
import type { GradientRule } from './rule.ts';

export interface Contribution {
  target: SymbolicTensor;
  build: (dSource: SymbolicTensor) => SymbolicTensor;
}

interface Custom {
  overrides: Map<OpNode, GradientRule['grad']>;
  /** By source tensor id. */
  contributions: Map<number, Contribution[]>;
}

const registry = new WeakMap<Graph, Custom>();

function custom(g: Graph): Custom {
  let c = registry.get(g);
  if (!c) {
    c = { overrides: new Map(), contributions: new Map() };
    registry.set(g, c);
  }
  return c;
}

export function overrideGradient(node: OpNode, grad: GradientRule['grad']): void {
  const g = node.outputs[0]?.graph;
  if (!g) throw new Error(`overrideGradient: node ${node.op} has no outputs`);
  custom(g).overrides.set(node, grad);
}

export function addGradientContribution(
  source: SymbolicTensor,
  target: SymbolicTensor,
  build: (dSource: SymbolicTensor) => SymbolicTensor,
): void {
  if (source.graph !== target.graph)
    throw new Error(`addGradientContribution: ${source.name} and ${target.name} are in different graphs`);
  const list = custom(source.graph).contributions;
  const entry = { target, build };
  const l = list.get(source.id);
  if (l) l.push(entry);
  else list.set(source.id, [entry]);
}

export function overrideFor(node: OpNode): GradientRule['grad'] | undefined {
  const g = node.outputs[0]?.graph;
  return g ? registry.get(g)?.overrides.get(node) : undefined;
}

export function contributionsFrom(source: SymbolicTensor): readonly Contribution[] {
  return registry.get(source.graph)?.contributions.get(source.id) ?? [];
}
