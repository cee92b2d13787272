import { attrStr } from '../../onnx/graph.ts';
import { pad, slice } from '../../onnx/ops/shape.ts';
import { constInts, dy0, type GradientRule } from '../rule.ts';

export const op = 'Pad';
/** Constant-mode Pad: the gradient is the un-padded window of dy (a Slice; a Pad when the forward cropped). */
export const rule: GradientRule = {
  op,
  grad: (c) => {
    const mode = attrStr(c.node, 'mode', 'constant');
    if (mode !== 'constant') throw new Error(`Pad: no gradient for mode '${mode}' (only 'constant')`);
    if (c.node.inputs[3]) throw new Error('Pad: no gradient with an axes input');
    const x = c.x(0);
    const pads = constInts(c, 1) as number[];
    const r = x.rank;
    const g = dy0(c);
    if (pads.every((p) => p >= 0)) {
      const axes = x.shape.map((_, i) => i).filter((i) => pads[i] !== 0 || pads[i + r] !== 0);
      return [
        slice(g, {
          starts: axes.map((i) => pads[i]),
          ends: axes.map((i) => pads[i] + x.shape[i]),
          axes,
        }),
        null,
        null,
      ];
    }
    return [
      pad(
        g,
        pads.map((p) => -p),
      ),
      null,
      null,
    ];
  },
};
