export { gradients, type GradientOptions } from './tape.ts';
export { GRADIENTS } from './gradients/index.ts';
export { reduceTo, type GradContext, type GradientRule } from './rule.ts';
export { checkGradients, type GradCheck, type GradCheckResult } from './check.ts';
