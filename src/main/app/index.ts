/**
 * The use-case layer: the only part of the core the doors (CLI commands, IPC handlers for Electron and
 * the web host, the demo) call. Each use case takes typed arguments and reports progress through JobHooks.
 */
export type { JobHooks, Workstation } from './context.ts';
export * from './model-choice.ts';
export {
  forecast,
  topCells,
  type Forecast,
  type ForecastRequest,
  type TopCell,
  type UsedModel,
} from './forecast.ts';
export { evaluate, type EvaluateRequest, type EvaluateResult } from './evaluate.ts';
export { train, defaultModelPath, type TrainRequest } from './train.ts';
export { brief, prepareBriefing, trackRecord, BACKTEST_STEPS, type BriefRequest } from './brief.ts';
export { datasets, models, listRuns, getRun, type ModelListing } from './listings.ts';
export { deleteModel, type DeletedModel } from './models.ts';
