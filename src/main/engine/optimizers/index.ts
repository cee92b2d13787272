export type { Optimizer, OptimizerConfig, Hyper, ParamState, Updated } from './optimizer.ts';
export { adam, type AdamOptions } from './adam.ts';
export { sgd, type SgdOptions } from './sgd.ts';
export { clipByGlobalNorm, globalNorm } from './clip.ts';
