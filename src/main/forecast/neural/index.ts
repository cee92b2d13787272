/** Registers the neural forecaster with the forecaster registry (imported by forecast/all.ts). */
import { registerForecaster } from '../registry.ts';
import { createNeuralForecaster } from './ensemble.ts';

registerForecaster(
  'convlstm',
  createNeuralForecaster,
  'ConvLSTM trained on-device (presets: default, reference); params e.g. convlstm:hidden=16,loss=poisson,members=3',
);
