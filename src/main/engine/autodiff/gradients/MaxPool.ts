import { scatterElements, zeros } from '../../onnx/ops/pool.ts';
import { reshape } from '../../onnx/ops/shape.ts';
import { dy0, type GradientRule } from '../rule.ts';

export const op = 'MaxPool';
/**
 * Routes dy to the argmax positions through MaxPool's Indices output (flat offsets into the whole input,
 * ORT's convention) with one ScatterElements(add); overlapping windows accumulate.
 */
export const rule: GradientRule = {
  op,
  grad: (c) => {
    const x = c.x(0);
    if (c.node.outputs.length < 2)
      throw new Error('MaxPool: gradient needs the Indices output (use op.maxPool)');
    const idx = reshape(c.y(1), [-1]);
    const flat = scatterElements(zeros(x, [x.size]), idx, reshape(dy0(c), [-1]), 0, 'add');
    return [reshape(flat, x.shape)];
  },
};
