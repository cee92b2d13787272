import { dy0, reduceTo, type GradientRule } from '../rule.ts';

export const op = 'Add';
export const rule: GradientRule = {
  op,
  grad: (c) => [
    c.needs[0] ? reduceTo(dy0(c), c.x(0).shape) : null,
    c.needs[1] ? reduceTo(dy0(c), c.x(1).shape) : null,
  ],
};
