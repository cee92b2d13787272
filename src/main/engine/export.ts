/**
 * Standalone inference export: the model's forward pass in inference mode (running statistics, no
 * dropout) with the trained weights baked in as initializers, so any ONNX runtime can load it with
 * no other file. Names, as documented for consumers:
 * - inputs: the model's input names and shapes as given to the trainer (batch axis first; the
 *   reference preset's is `events` [N, 3, T, H, W]), float32;
 * - outputs: `logits` (the model's raw output) and, unless `probability: false`, `probability`
 *   = sigmoid(logits), both float32 of the model's output shape ([N, 1, H, W] for the preset).
 * Shapes are static; `batch` picks N (default 1).
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Graph } from './onnx/graph.ts';
import { sigmoid } from './onnx/ops/elementwise.ts';
import { makeCtx, type GraphSpec } from './runtime/compile.ts';

export interface ExportOptions {
  batch?: number;
  /** Also output sigmoid(logits) as `probability` (default true). */
  probability?: boolean;
  metadata?: Record<string, string>;
}

export interface ExportResult {
  path: string;
  sha256: string;
  bytes: number;
  inputs: { name: string; shape: number[] }[];
  outputs: { name: string; shape: number[] }[];
}

export function exportInference(
  spec: GraphSpec,
  weights: ReadonlyMap<string, Float32Array>,
  path: string,
  opts: ExportOptions = {},
): ExportResult {
  const n = opts.batch ?? 1;
  const g = new Graph(`${spec.model.name}_inference`);
  const inputs: Record<string, ReturnType<Graph['input']>> = {};
  for (const [name, s] of Object.entries(spec.inputShapes))
    inputs[name] = g.input(name, 'float32', [n, ...s.slice(1)]);
  for (const p of [...spec.model.params, ...spec.model.states])
    if (!weights.has(p.name)) throw new Error(`export: no trained values for '${p.name}'`);
  const { ctx } = makeCtx(g, spec.model, false, weights);
  const logits = spec.model.forward(ctx, inputs);
  g.output(logits, 'logits');
  const outputs = [{ name: 'logits', shape: [...logits.shape] }];
  if (opts.probability !== false) {
    g.output(sigmoid(logits), 'probability');
    outputs.push({ name: 'probability', shape: [...logits.shape] });
  }
  const bytes = g.toBytes({
    docString: `shotcast ${spec.model.name}: inputs ${Object.keys(inputs).join(', ')}; outputs ${outputs.map((o) => o.name).join(', ')}`,
    metadata: { model: spec.model.name, ...opts.metadata },
  });
  writeFileSync(path, bytes);
  return {
    path,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    bytes: bytes.length,
    inputs: Object.values(inputs).map((t) => ({ name: t.name, shape: [...t.shape] })),
    outputs,
  };
}
