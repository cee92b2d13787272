import type { GradientRule } from '../rule.ts';

/**
 * Ops whose output is piecewise constant in their float inputs (or random), so their true gradient is
 * zero almost everywhere: the walk treats them as cutting the path rather than failing.
 */
export const ops = [
  'Sign',
  'Floor',
  'Ceil',
  'Round',
  'RandomUniformLike',
  'RandomNormalLike',
  'Shape',
  'ConstantOfShape',
];
export const rules: GradientRule[] = ops.map((op) => ({ op, grad: (c) => c.node.inputs.map(() => null) }));
