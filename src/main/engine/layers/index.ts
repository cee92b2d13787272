export { defineModel, fanInBound, Scope } from './model.ts';
export type { Ctx, Forward, Init, ModelDef, ParamSpec, StateSpec } from './model.ts';
export { ConvND, conv2d, conv3d, type ConvLayerOptions, type Layer } from './conv.ts';
export { ConvLSTM2D, ConvLSTMCell, convLstm2d, type CellState, type ConvLSTMOptions } from './convlstm.ts';
export { Bidirectional } from './bidirectional.ts';
export { BatchNormalization, batchNormalization, type BatchNormOptions } from './batchnorm.ts';
export { MaxPool3D, maxPool3d } from './pool.ts';
export { Dropout, dropout } from './dropout.ts';
