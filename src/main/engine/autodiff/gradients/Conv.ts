import { attrInt, attrInts, type SymbolicTensor } from '../../onnx/graph.ts';
import { conv, convTranspose } from '../../onnx/ops/conv.ts';
import { matmul } from '../../onnx/ops/linalg.ts';
import { reduceSum } from '../../onnx/ops/reduce.ts';
import { concat, pad, reshape, slice, transpose } from '../../onnx/ops/shape.ts';
import { dy0, type GradientRule } from '../rule.ts';

export const op = 'Conv';

export interface Geo {
  kernel: number[];
  strides: number[];
  pads: number[];
  dilations: number[];
  group: number;
}

/**
 * Weight gradient by explicit im2col: pad x once, take one strided Slice per kernel offset, and
 * contract each [N, C, P] slab with dy [N, M, P] in a batched MatMul summed over N, giving one
 * [M, C] column of the weight per offset. Measured in ORT: as fast as stacking all offsets into one
 * Concat + MatMul (and much faster than a Conv over transposed axes), without the k-fold column buffer.
 */
export function weightGrad(
  x: SymbolicTensor,
  w: { shape: readonly number[] },
  dy: SymbolicTensor,
  geo: Geo,
): SymbolicTensor {
  const sp = geo.kernel.length;
  const [n, ch] = x.shape;
  const m = dy.shape[1];
  const out = dy.shape.slice(2);
  const p = out.reduce((a, b) => a * b, 1);
  const k = geo.kernel.reduce((a, b) => a * b, 1);
  const xp = pad(x, [0, 0, ...geo.pads.slice(0, sp), 0, 0, ...geo.pads.slice(sp)]);
  const dyr = reshape(dy, [n, m, p]);
  const cols: SymbolicTensor[] = [];
  const offs = new Array<number>(sp).fill(0);
  for (let idx = 0; idx < k; idx++) {
    let rem = idx;
    for (let i = sp - 1; i >= 0; i--) {
      offs[i] = rem % geo.kernel[i];
      rem = Math.floor(rem / geo.kernel[i]);
    }
    const starts = offs.map((o, i) => o * geo.dilations[i]);
    const slab = slice(xp, {
      starts,
      ends: starts.map((st, i) => st + (out[i] - 1) * geo.strides[i] + 1),
      axes: offs.map((_, i) => 2 + i),
      steps: geo.strides,
    });
    // ORT fuses this Transpose into the MatMul (FusedMatMul, transB).
    const perN = matmul(dyr, transpose(reshape(slab, [n, ch, p]), [0, 2, 1])); // [N, M, C]
    cols.push(reshape(n === 1 ? perN : reduceSum(perN, { axes: [0], keepdims: false }), [m, ch, 1]));
  }
  return reshape(concat(cols, 2), w.shape);
}

/**
 * Input gradient. For 3-D (and 1-D) convolutions with unit strides it is a plain Conv of dy with the
 * weight transposed to [C, M, k…] and flipped spatially, padded by (k−1)·d − p: ORT's 3-D ConvTranspose
 * is about 3× slower than its Conv. In 2-D it is the reverse: ConvTranspose is one GEMM with K = M (the
 * forward's output channels) then a col2im, where the Conv would im2col an M·k·k-row buffer to make
 * few (C) output channels; for the ConvLSTM's recurrent input gradient ([20,128,36,36] → 32 channels)
 * ConvTranspose took 37–45 CPU-ms against 49–54. Otherwise ConvTranspose, output_padding recovering
 * x's exact size.
 */
function inputGrad(x: SymbolicTensor, w: SymbolicTensor, dy: SymbolicTensor, geo: Geo): SymbolicTensor {
  const sp = geo.kernel.length;
  const flipPads = [...geo.kernel, ...geo.kernel].map(
    (k, j) => (k - 1) * geo.dilations[j % sp] - geo.pads[j],
  );
  if (sp !== 2 && geo.group === 1 && geo.strides.every((s) => s === 1) && flipPads.every((p) => p >= 0)) {
    const spatial = geo.kernel.map((_, i) => 2 + i);
    const flipped = slice(transpose(w, [1, 0, ...spatial]), {
      starts: spatial.map(() => -1),
      ends: spatial.map(() => -Number.MAX_SAFE_INTEGER),
      axes: spatial,
      steps: spatial.map(() => -1),
    });
    return conv(dy, flipped, null, { pads: flipPads, dilations: geo.dilations });
  }
  const outputPadding = geo.kernel.map((kk, i) => {
    const eff = (kk - 1) * geo.dilations[i] + 1;
    return x.shape[2 + i] - (geo.strides[i] * (dy.shape[2 + i] - 1) + eff - geo.pads[i] - geo.pads[i + sp]);
  });
  return convTranspose(dy, w, null, { ...geo, outputPadding });
}

export const rule: GradientRule = {
  op,
  grad: (c) => {
    const [x, w] = [c.x(0), c.x(1)];
    const sp = x.rank - 2;
    const kernel = w.shape.slice(2);
    const geo: Geo = {
      kernel,
      strides: [...(attrInts(c.node, 'strides') ?? kernel.map(() => 1))],
      pads: [...(attrInts(c.node, 'pads') ?? new Array<number>(2 * sp).fill(0))],
      dilations: [...(attrInts(c.node, 'dilations') ?? kernel.map(() => 1))],
      group: attrInt(c.node, 'group', 1),
    };
    const g = dy0(c);
    if (c.needs[1] && geo.group !== 1)
      throw new Error(`Conv: weight gradient needs group 1, got group ${geo.group}`);
    const axes = [0, ...kernel.map((_, i) => 2 + i)];
    return [
      c.needs[0] ? inputGrad(x, w, g, geo) : null,
      c.needs[1] ? weightGrad(x, w, g, geo) : null,
      c.node.inputs[2] && c.needs[2] ? reduceSum(g, { axes, keepdims: false }) : null,
    ];
  },
};
