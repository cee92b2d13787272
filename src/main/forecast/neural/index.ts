/** Registers the neural forecaster with the forecaster registry (imported by forecast/all.ts). */
import { registerForecaster } from '../registry.ts';
import { createConvLstm } from './convlstm.ts';

registerForecaster(
  'convlstm',
  createConvLstm,
  'ConvLSTM trained on-device (presets: default, reference); params e.g. convlstm:hidden=16,loss=poisson',
);
