import { dy0, reduceTo, type GradientRule } from '../rule.ts';

export const op = 'Expand';
export const rule: GradientRule = { op, grad: (c) => [reduceTo(dy0(c), c.x(0).shape), null] };
