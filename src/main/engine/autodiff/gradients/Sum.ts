import { dy0, reduceTo, type GradientRule } from '../rule.ts';

export const op = 'Sum';
export const rule: GradientRule = {
  op,
  grad: (c) => c.node.inputs.map((_, i) => (c.needs[i] ? reduceTo(dy0(c), c.x(i).shape) : null)),
};
