export { binaryCrossEntropyWithLogits, stableSoftplus, type BceOptions, type Reduction } from './bce.ts';
export { softmaxCrossEntropy, type SoftmaxCeOptions } from './softmax-ce.ts';
