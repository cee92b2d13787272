/** Finite-difference cases for the data-movement, reduction, pooling and conv gradient rules (run by structural.grad.test.ts). */
import * as op from '../onnx/ops/index.ts';
import type { GradCheck } from './check.ts';

export type Case = [string, GradCheck];
const f64 = (inputs: GradCheck['inputs'], build: GradCheck['build']): GradCheck => ({
  dtype: 'float64',
  inputs,
  build,
});
/** Conv has only float32 kernels in ORT CPU; the loss is linear in each input, so eps 1e-2 is exact but for rounding. */
const f32 = (inputs: GradCheck['inputs'], build: GradCheck['build']): GradCheck => ({
  dtype: 'float32',
  inputs,
  build,
  eps: 1e-2,
  atol: 2e-3,
  rtol: 2e-3,
});
/** Distinct values spaced ≥ 0.05 apart, so a MaxPool argmax never flips under the perturbation. */
const distinct = (r: () => number, i: number) => ((i * 37) % 101) * 0.05 + r() * 0.01;

export const cases: Case[] = [
  ['Reshape', f64([{ shape: [2, 6] }], ([a]) => op.sigmoid(op.reshape(a, [3, 4])))],
  ['Transpose', f64([{ shape: [2, 3, 4] }], ([a]) => op.transpose(a, [2, 0, 1]))],
  // The helpers lower (un)squeeze to Reshape; raw ONNX Squeeze/Unsqueeze nodes (opset 13+: axes as input) have rules too.
  [
    'raw Squeeze and Unsqueeze nodes',
    f64([{ shape: [3, 1, 2] }], ([a], g) => {
      const [s] = g.addNode('Squeeze', [a, g.int64s([1])], {}, [{ dtype: 'float64', shape: [3, 2] }]);
      return g.addNode('Unsqueeze', [op.exp(s), g.int64s([0])], {}, [
        { dtype: 'float64', shape: [1, 3, 2] },
      ])[0];
    }),
  ],
  ['Unsqueeze/Squeeze', f64([{ shape: [3, 1, 2] }], ([a]) => op.unsqueeze(op.squeeze(a, [1]), [0]))],
  ['Concat', f64([{ shape: [2, 3] }, { shape: [2, 1] }], ([a, b]) => op.concat([a, b, a], 1))],
  [
    'Split, one piece unused',
    f64([{ shape: [5, 2] }], ([a]) => op.split(a, [2, 1, 2], 0).filter((_, i) => i !== 1)),
  ],
  [
    'Slice step 1',
    f64([{ shape: [4, 5] }], ([a]) => op.slice(a, { starts: [1, -4], ends: [3, 100], axes: [0, 1] })),
  ],
  [
    'Slice step 2',
    f64([{ shape: [3, 7] }], ([a]) => op.slice(a, { starts: [1], ends: [7], axes: [1], steps: [2] })),
  ],
  [
    'Slice reversed, step -2',
    f64([{ shape: [6, 2] }], ([a]) => op.slice(a, { starts: [-1], ends: [-100], axes: [0], steps: [-2] })),
  ],
  ['Pad', f64([{ shape: [2, 3] }], ([a]) => op.pad(a, [1, 0, 0, 2]))],
  ['Pad with negative (cropping) pads', f64([{ shape: [3, 4] }], ([a]) => op.pad(a, [1, -1, -1, 2]))],
  ['ReduceSum keepdims', f64([{ shape: [2, 3, 4] }], ([a]) => op.reduceSum(a, { axes: [0, 2] }))],
  [
    'ReduceSum to scalar',
    f64([{ shape: [2, 3] }], ([a]) => op.mul(op.reduceSum(op.mul(a, a), { keepdims: false }), 1)),
  ],
  [
    'ReduceSumSquare',
    f64([{ shape: [2, 3, 4] }], ([a]) => op.reduceSumSquare(a, { axes: [1], keepdims: false })),
  ],
  [
    'ReduceMax over two axes',
    f64([{ shape: [2, 3, 4], values: distinct }], ([a]) =>
      op.reduceMax(a, { axes: [0, 2], keepdims: false }),
    ),
  ],
  [
    'ReduceMax with a tie, keepdims',
    f64([{ shape: [2, 3], values: (r, i) => (i === 1 || i === 2 ? 5 : r()) }], ([a]) =>
      op.mul(op.reduceMax(a, { axes: [1] }), op.reduceMax(op.mul(a, 0.5), { axes: [1] })),
    ),
  ],
  [
    'ReduceMean no keepdims',
    f64([{ shape: [2, 3, 4] }], ([a]) => op.reduceMean(a, { axes: [1], keepdims: false })),
  ],
  ['Expand', f64([{ shape: [3, 1] }], ([a]) => op.expand(a, [2, 3, 4]))],
  [
    'MaxPool 2-D overlapping windows',
    f64(
      [{ shape: [1, 2, 4, 4], values: distinct }],
      ([a]) => op.maxPool(a, { kernel: [2, 2], strides: [1, 1] })[0],
    ),
  ],
  [
    'MaxPool 3-D over time (T,1,1)',
    f64([{ shape: [2, 2, 3, 2, 2], values: distinct }], ([a]) => op.maxPool(a, { kernel: [3, 1, 1] })[0]),
  ],
  [
    'MaxPool 2-D with padding and stride 2',
    f64(
      [{ shape: [1, 1, 5, 5], values: distinct }],
      ([a]) => op.maxPool(a, { kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] })[0],
    ),
  ],
  // A ConvLSTM step composed from the rules above: split gates, σ/tanh, products, a recurrence.
  [
    'ConvLSTM-style cell, two steps',
    f32([{ shape: [1, 2, 4, 4] }, { shape: [8, 4, 3, 3] }, { shape: [1, 2, 4, 4] }], ([x, w, c0]) => {
      let h = x;
      let c = c0;
      for (let t = 0; t < 2; t++) {
        const [i, f, g, o] = op.split(
          op.conv(op.concat([x, h], 1), w, null, { pads: [1, 1, 1, 1] }),
          [2, 2, 2, 2],
          1,
        );
        c = op.add(op.mul(op.sigmoid(f), c), op.mul(op.sigmoid(i), op.tanh(g)));
        h = op.mul(op.sigmoid(o), op.tanh(c));
      }
      return h;
    }),
  ],
  [
    'Conv 2-D same padding with bias',
    f32([{ shape: [2, 3, 5, 5] }, { shape: [4, 3, 3, 3] }, { shape: [4] }], ([x, w, b]) =>
      op.conv(x, w, b, { pads: [1, 1, 1, 1] }),
    ),
  ],
  [
    'Conv 2-D stride 2 (output_padding)',
    f32([{ shape: [1, 2, 6, 6] }, { shape: [3, 2, 3, 3] }], ([x, w]) =>
      op.conv(x, w, null, { strides: [2, 2], pads: [1, 1, 1, 1] }),
    ),
  ],
  [
    'Conv 2-D dilation 2, asymmetric pads',
    f32([{ shape: [1, 2, 6, 5] }, { shape: [2, 2, 2, 3] }], ([x, w]) =>
      op.conv(x, w, null, { dilations: [2, 2], pads: [1, 0, 0, 2] }),
    ),
  ],
  [
    'Conv 3-D same padding',
    f32([{ shape: [1, 2, 3, 4, 4] }, { shape: [2, 2, 3, 3, 3] }], ([x, w]) =>
      op.conv(x, w, null, { pads: [1, 1, 1, 1, 1, 1] }),
    ),
  ],
  [
    'Conv 3-D kernel (1,3,3)',
    f32([{ shape: [2, 3, 2, 4, 4] }, { shape: [1, 3, 1, 3, 3] }, { shape: [1] }], ([x, w, b]) =>
      op.conv(x, w, b, { pads: [0, 1, 1, 0, 1, 1] }),
    ),
  ],
  ['Conv 1-D', f32([{ shape: [2, 2, 7] }, { shape: [3, 2, 3] }], ([x, w]) => op.conv(x, w, null))],
  // Pads beyond the kernel's reach: the input gradient falls back from the flipped Conv to ConvTranspose.
  [
    'Conv pads > (k−1)·d (ConvTranspose path)',
    f32([{ shape: [1, 2, 4, 4] }, { shape: [3, 2, 1, 2] }], ([x, w]) =>
      op.conv(x, w, null, { pads: [1, 2, 0, 1] }),
    ),
  ],
  [
    'Conv group 2, input gradient',
    {
      ...f32([{ shape: [1, 4, 4, 4] }, { shape: [6, 2, 3, 3] }], ([x, w]) =>
        op.conv(x, w, null, { group: 2, pads: [1, 1, 1, 1] }),
      ),
      wrt: [0],
    },
  ],
];
