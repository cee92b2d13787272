/**
 * The reference architecture, the seed paper's design, exactly as bench/torch_reference.py
 * (SeedNet) defines it, with PyTorch's parameter names:
 *   input `events` [N, 3 types, T, H, W]
 *   enc.0  Conv3D(3→16, k3, same) + ReLU;  enc.2  Conv3D(16→16, k3, same) + ReLU
 *   l1     Bidirectional ConvLSTM(16 → 2×32, k3×3, all steps) + bn1 BatchNorm(64)
 *   l2     Bidirectional ConvLSTM(64 → 2×32, k3×3, all steps) + bn2 BatchNorm(64)
 *   MaxPool3D over time (T,1,1);  head  Conv3D(64→1, k(1,3,3), same)  → logits [N, 1, H, W]
 * Loss: binary cross-entropy on logits with positive-class weight 20; optimizer: Adam, lr 1e-3.
 * Every conv keeps its bias like the PyTorch reference (none sits directly before a BatchNorm here:
 * the ConvLSTM gates pass through σ/tanh first, so no bias has a structurally zero gradient).
 */
import type { SymbolicTensor } from '../onnx/graph.ts';
import { relu } from '../onnx/ops/elementwise.ts';
import { reshape } from '../onnx/ops/shape.ts';
import { Bidirectional } from '../layers/bidirectional.ts';
import { batchNormalization } from '../layers/batchnorm.ts';
import { conv3d } from '../layers/conv.ts';
import { ConvLSTM2D } from '../layers/convlstm.ts';
import { defineModel, type ModelDef } from '../layers/model.ts';
import { maxPool3d } from '../layers/pool.ts';
import { adam } from '../optimizers/adam.ts';
import type { Optimizer } from '../optimizers/optimizer.ts';
import { binaryCrossEntropyWithLogits } from '../losses/index.ts';
import type { GraphSpec } from '../runtime/compile.ts';

export const REFERENCE_INPUT = 'events';
export const REFERENCE_POS_WEIGHT = 20;
export const REFERENCE_LR = 1e-3;

export interface ReferenceShape {
  batch: number;
  /** Event types (channels); the product models 3. */
  types?: number;
  /** Time steps T. */
  steps: number;
  rows: number;
  cols: number;
}

export function referenceModel(types = 3, hidden = 32, encoder = 16): ModelDef {
  return defineModel('seednet', (s) => {
    const enc0 = conv3d(s, 'enc.0', { inChannels: types, filters: encoder, kernel: 3 });
    const enc2 = conv3d(s, 'enc.2', { inChannels: encoder, filters: encoder, kernel: 3 });
    const biLstm = (name: string, cin: number): Bidirectional =>
      new Bidirectional(
        s,
        name,
        (sc, dir, goBackwards) =>
          new ConvLSTM2D(sc, dir, { inChannels: cin, filters: hidden, kernel: 3, goBackwards }),
      );
    const l1 = biLstm('l1', encoder);
    const bn1 = batchNormalization(s, 'bn1', { channels: 2 * hidden });
    const l2 = biLstm('l2', 2 * hidden);
    const bn2 = batchNormalization(s, 'bn2', { channels: 2 * hidden });
    const head = conv3d(s, 'head', { inChannels: 2 * hidden, filters: 1, kernel: [1, 3, 3] });
    return (ctx, inputs) => {
      const x = inputs[REFERENCE_INPUT];
      if (!x) throw new Error(`seednet: needs an input named '${REFERENCE_INPUT}'`);
      const [n, , t, h, w] = x.shape;
      let y: SymbolicTensor = relu(enc2.apply(ctx, relu(enc0.apply(ctx, x))));
      y = bn1.apply(ctx, l1.apply(ctx, y));
      y = bn2.apply(ctx, l2.apply(ctx, y));
      y = maxPool3d([t, 1, 1]).apply(ctx, y);
      return reshape(head.apply(ctx, y), [n, 1, h, w]);
    };
  });
}

/** The preset as the trainer wants it: model, loss, input and target shapes; plus its optimizer. */
export function referencePreset(
  shape: ReferenceShape,
  optimizer: Optimizer = adam({ lr: REFERENCE_LR }),
): GraphSpec & {
  optimizer: Optimizer;
} {
  const types = shape.types ?? 3;
  return {
    model: referenceModel(types),
    loss: (logits, target) =>
      binaryCrossEntropyWithLogits(logits, target, { posWeight: REFERENCE_POS_WEIGHT }),
    inputShapes: { [REFERENCE_INPUT]: [shape.batch, types, shape.steps, shape.rows, shape.cols] },
    targetShape: [shape.batch, 1, shape.rows, shape.cols],
    optimizer,
  };
}

/** Setup entry for trainInWorker: `{ setupModule: referenceSetupModule, setupOptions: shape }`. */
export function createSetup(options: unknown): GraphSpec & { optimizer: Optimizer } {
  const o = options as Partial<ReferenceShape> & { lr?: number };
  for (const k of ['batch', 'steps', 'rows', 'cols'] as const)
    if (!Number.isInteger(o[k]) || (o[k] as number) < 1)
      throw new Error(`reference preset: option '${k}' must be a positive integer, got ${String(o[k])}`);
  return referencePreset(o as ReferenceShape, adam({ lr: o.lr ?? REFERENCE_LR }));
}

export const referenceSetupModule = import.meta.url;
