import type { GradientRule } from '../rule.ts';

/**
 * Ops whose output is piecewise constant in their float inputs (or random), so their true gradient is
 * zero almost everywhere: the walk treats them as cutting the path rather than failing.
 */
export const NO_GRADIENT_OPS = [
  'Sign',
  'Floor',
  'Ceil',
  'Round',
  'RandomUniformLike',
  'RandomNormalLike',
  'Shape',
  'ConstantOfShape',
];
export const rules: GradientRule[] = NO_GRADIENT_OPS.map((op) => ({
  op,
  grad: (c) => c.node.inputs.map(() => null),
}));
