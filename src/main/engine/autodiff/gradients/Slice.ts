import { sameShape } from '../../onnx/dtype.ts';
import type { SymbolicTensor } from '../../onnx/graph.ts';
import { pad, reshape, slice } from '../../onnx/ops/shape.ts';
import { constInts, dy0, type GradientRule } from '../rule.ts';

export const op = 'Slice';

/** ONNX's clamping of a slice start, so the gradient lands where the forward read. */
function resolveStart(dim: number, start: number, step: number): number {
  const s = start < 0 ? start + dim : start;
  return step > 0 ? Math.min(Math.max(s, 0), dim) : Math.min(Math.max(s, 0), dim - 1);
}

/**
 * Scatters dy back into a zero tensor of x's shape, one axis at a time: a reversed axis is flipped
 * back, a stride s is undone by padding each element with s−1 zeros, then Pad places the run.
 */
export const rule: GradientRule = {
  op,
  grad: (c) => {
    const x = c.x(0);
    const starts = constInts(c, 1) as number[];
    const axes = (constInts(c, 3) ?? starts.map((_, i) => i)).map((a) => (a < 0 ? a + x.rank : a));
    const steps = constInts(c, 4) ?? axes.map(() => 1);
    let g: SymbolicTensor = dy0(c);
    axes.forEach((axis, i) => {
      const dim = x.shape[axis];
      const n = g.shape[axis];
      let step = steps[i];
      let first = resolveStart(dim, starts[i], step);
      if (n === 0) return;
      if (step < 0) {
        g = slice(g, { starts: [-1], ends: [-Number.MAX_SAFE_INTEGER], axes: [axis], steps: [-1] });
        step = -step;
        first -= (n - 1) * step;
      }
      let len = n;
      if (step > 1) {
        const wide = [...g.shape.slice(0, axis + 1), 1, ...g.shape.slice(axis + 1)];
        const pads = new Array<number>(2 * wide.length).fill(0);
        pads[wide.length + axis + 1] = step - 1;
        const spread = pad(reshape(g, wide), pads);
        const flat = [...g.shape];
        flat[axis] = n * step;
        g = reshape(spread, flat);
        len = n * step;
      }
      const pads = new Array<number>(2 * x.rank).fill(0);
      pads[axis] = first;
      pads[x.rank + axis] = dim - first - len;
      g = pad(g, pads);
    });
    if (!sameShape(g.shape, x.shape))
      throw new Error(`Slice: gradient shape ${g.shape} differs from input ${x.shape}`);
    return [g, null, null, null, null];
  },
};
