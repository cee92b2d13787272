/**
 * The use-case layer: the only part of the core the doors (CLI commands, IPC handlers for Electron and
 * the web host, the demo) call. Each use case takes typed arguments and reports progress through JobHooks.
 */
export {
  withReadonlyDb,
  withWorkstation,
  type JobHooks,
  type ReadonlyDb,
  type WritableDb,
  type Workstation,
} from './context.ts';
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
export { train, type TrainRequest } from './train.ts';
export { brief, prepareBriefing, trackRecord, BACKTEST_STEPS, type BriefRequest } from './brief.ts';
export { datasets, models, listRuns, getRun, type ModelListing } from './listings.ts';
export { deleteModel, type DeletedModel } from './models.ts';
export { importData, rejects, type ImportRequest } from './import.ts';
export { deleteDataset, holdingsOf, renameDataset, setDatasetHolidays, setDatasetZone } from './manage.ts';
export { fineTune, update, type UpdateRequest } from './update.ts';
export { tune, type TuneRequest } from './tune.ts';
export { describeGrid, type GridRequest } from './grid.ts';
export { eventSummary, eventWindow } from './events.ts';
export { exportLayers } from './export.ts';
export { modelCatalogue, LEADERBOARD, type CatalogueEntry } from './catalogue.ts';
export { deleteMapLayer, importMapLayer, mapLayers, mapLayerText, placesAt, preview } from './city.ts';
export { planDeployment, unitSuggestion } from './deploy.ts';
