/** N-d convolution (Conv) and its transpose (ConvTranspose), NC… layout, explicit pads. */
import { fmtShape } from '../dtype.ts';
import { int, ints, ShapeError, type SymbolicTensor } from '../graph.ts';
import { requireFloat, sameDType } from './util.ts';

export interface ConvOpts {
  strides?: readonly number[];
  /** [begin_0, …, end_0, …] over the spatial axes, as ONNX; default 0. */
  pads?: readonly number[];
  dilations?: readonly number[];
  group?: number;
}

export interface ConvGeometry {
  strides: number[];
  pads: number[];
  dilations: number[];
  group: number;
  kernel: number[];
}

export function convGeometry(op: string, x: SymbolicTensor, w: SymbolicTensor, opts: ConvOpts): ConvGeometry {
  const sp = x.rank - 2;
  const kernel = w.shape.slice(2);
  const strides = [...(opts.strides ?? kernel.map(() => 1))];
  const pads = [...(opts.pads ?? [...kernel, ...kernel].map(() => 0))];
  const dilations = [...(opts.dilations ?? kernel.map(() => 1))];
  const group = opts.group ?? 1;
  if (sp < 1 || w.rank !== x.rank)
    throw new ShapeError(
      op,
      `input ${fmtShape(x.shape)} and weight ${fmtShape(w.shape)} must both be rank >= 3 and equal`,
    );
  if (strides.length !== sp || dilations.length !== sp || pads.length !== 2 * sp)
    throw new ShapeError(
      op,
      `strides/pads/dilations do not match ${sp} spatial axes of input ${fmtShape(x.shape)}`,
    );
  return { strides, pads, dilations, group, kernel };
}

function geomAttrs(g: ConvGeometry): Record<string, ReturnType<typeof ints>> {
  const a: Record<string, ReturnType<typeof ints>> = {
    kernel_shape: ints(g.kernel),
    strides: ints(g.strides),
    pads: ints(g.pads),
    dilations: ints(g.dilations),
  };
  if (g.group !== 1) a.group = int(g.group);
  return a;
}

/** Conv: x [N, C, …], w [M, C/group, k…], optional bias [M]. */
export function conv(
  x: SymbolicTensor,
  w: SymbolicTensor,
  bias: SymbolicTensor | null,
  opts: ConvOpts = {},
): SymbolicTensor {
  requireFloat('Conv', x);
  const dtype = sameDType('Conv', bias ? [x, w, bias] : [x, w]);
  const geo = convGeometry('Conv', x, w, opts);
  const [n, c] = x.shape;
  const m = w.shape[0];
  const sp = x.rank - 2;
  if (c !== w.shape[1] * geo.group || m % geo.group !== 0)
    throw new ShapeError(
      'Conv',
      `input ${fmtShape(x.shape)} has ${c} channels but weight ${fmtShape(w.shape)} expects ${w.shape[1] * geo.group} (group ${geo.group})`,
    );
  if (bias && (bias.rank !== 1 || bias.shape[0] !== m))
    throw new ShapeError(
      'Conv',
      `bias ${fmtShape(bias.shape)} does not match ${m} output channels of weight ${fmtShape(w.shape)}`,
    );
  const out = [n, m];
  for (let i = 0; i < sp; i++) {
    const eff = (geo.kernel[i] - 1) * geo.dilations[i] + 1;
    const padded = x.shape[2 + i] + geo.pads[i] + geo.pads[i + sp];
    const o = Math.floor((padded - eff) / geo.strides[i]) + 1;
    if (o < 1)
      throw new ShapeError(
        'Conv',
        `kernel ${fmtShape(geo.kernel)} is larger than padded input ${fmtShape(x.shape)}`,
      );
    out.push(o);
  }
  return x.graph.addNode('Conv', bias ? [x, w, bias] : [x, w], geomAttrs(geo), [{ dtype, shape: out }])[0];
}

/** ConvTranspose: x [N, C, …], w [C, M/group, k…]; outputShape picks output_padding when strides leave slack. */
export function convTranspose(
  x: SymbolicTensor,
  w: SymbolicTensor,
  bias: SymbolicTensor | null,
  opts: ConvOpts & { outputPadding?: readonly number[] } = {},
): SymbolicTensor {
  requireFloat('ConvTranspose', x);
  const dtype = sameDType('ConvTranspose', bias ? [x, w, bias] : [x, w]);
  const geo = convGeometry('ConvTranspose', x, w, opts);
  const sp = x.rank - 2;
  if (x.shape[1] !== w.shape[0])
    throw new ShapeError(
      'ConvTranspose',
      `input ${fmtShape(x.shape)} has ${x.shape[1]} channels but weight ${fmtShape(w.shape)} expects ${w.shape[0]}`,
    );
  const m = w.shape[1] * geo.group;
  const op = opts.outputPadding ?? geo.kernel.map(() => 0);
  const out = [x.shape[0], m];
  for (let i = 0; i < sp; i++) {
    const eff = (geo.kernel[i] - 1) * geo.dilations[i] + 1;
    out.push(geo.strides[i] * (x.shape[2 + i] - 1) + op[i] + eff - geo.pads[i] - geo.pads[i + sp]);
  }
  const attrs = geomAttrs(geo);
  if (op.some((v) => v !== 0)) attrs.output_padding = ints(op);
  return x.graph.addNode('ConvTranspose', bias ? [x, w, bias] : [x, w], attrs, [{ dtype, shape: out }])[0];
}
