import { dy0, type GradientRule } from '../rule.ts';

export const op = 'Identity';
export const rule: GradientRule = { op, grad: (c) => [dy0(c)] };
