import { join } from 'node:path';
import type {
  DatasetInfo,
  ModelChoiceValue,
  Request,
  TilesInfo,
  TrainResult,
} from '../../shared/contract.ts';
import type { HandlerMap } from './registry.ts';
import {
  brief,
  exportLayers,
  fineTune,
  type BriefRequest,
  datasets,
  deleteModel,
  listRuns,
  eventSummary,
  eventWindow,
  forecast,
  importData,
  modelCatalogue,
  models,
  planDeployment,
  unitSuggestion,
  deleteDataset,
  renameDataset,
  setDatasetHolidays,
  setDatasetZone,
  rejects,
  train,
  type ModelChoice,
  type ReadonlyDb,
  type WritableDb,
} from '../app/index.ts';
import { Jobs } from './jobs.ts';
import { evaluateForPanel, storedRunView } from './evaluation.ts';
import { cityHandlers, geoDirOf } from './city.ts';
import { withFile } from './staged.ts';

export const DEMO = {
  dataset: 'dc-sample',
  city: 'Washington DC',
  tz: 'America/New_York',
  file: 'data/dc_mpd_2014-2018_normalized.csv',
} as const;

export interface BackendContext {
  db: WritableDb;
  /**
   * A read-only connection for the window's reads (see openReader): a write lock held by another
   * program, or a long import of this one, never blocks it. Default: `db`.
   */
  reader?: ReadonlyDb;
  dbPath: string;
  /** The folder holding data/ and geo/ (the repository's resources/, or the packaged app's). */
  resourcesDir: string;
  transport: 'electron' | 'web';
  version: string;
  jobs: Jobs;
  tiles: () => TilesInfo | null;
  /** Files the web host received by upload (POST /api/upload), claimed by datasets.import. */
  uploads?: { path(id: string): string | undefined; release(id: string): Promise<void> };
}

export function datasetInfos(db: ReadonlyDb): DatasetInfo[] {
  return datasets(db).map((d) => ({
    id: d.id,
    name: d.name,
    city: d.city,
    tz: d.tz,
    format: d.format,
    events: d.events,
    duplicates: d.duplicates,
    rejects: d.rejects,
    from: d.from,
    to: d.to,
    holidays: d.holidays,
  }));
}

/** The handlers, grouped by domain; registered once through createDispatcher. */
export function createHandlers(ctx: BackendContext): Partial<HandlerMap>[] {
  const reader = ctx.reader ?? ctx.db;
  const geoDir = geoDirOf(ctx);
  const app: Partial<HandlerMap> = {
    'app.info': () => ({
      version: ctx.version,
      transport: ctx.transport,
      dbPath: ctx.dbPath,
      tiles: ctx.tiles(),
    }),
    'app.ensureDemo': async ({ jobId }) => {
      const existing = datasetInfos(reader);
      if (existing.length > 0) return { imported: false, dataset: existing[0].name };
      await ctx.jobs.run(
        jobId,
        async (progress) =>
          (
            await importData(
              ctx,
              {
                files: [join(ctx.resourcesDir, DEMO.file)],
                dataset: DEMO.dataset,
                city: DEMO.city,
                tz: DEMO.tz,
              },
              { progress },
            )
          )[0],
        { kind: 'import', label: `import the built-in DC sample as ${DEMO.dataset}` },
      );
      return { imported: true, dataset: DEMO.dataset };
    },
    'jobs.cancel': ({ jobId }) => ({ cancelled: ctx.jobs.cancel(jobId) }),
    'jobs.list': () => ctx.jobs.list(),
    'train.status': () => ({
      available: true,
      reason:
        'the ConvLSTM trains on this machine with onnxruntime-node; the model is exported to ONNX and registered',
    }),
    'train.run': async (req) => {
      const { jobId, resume, ...settings } = req;
      const params: Record<string, string> = {
        preset: req.preset,
        epochs: String(req.epochs),
        lr: String(req.lr),
      };
      if (req.maxSeconds > 0) params.maxSeconds = String(req.maxSeconds);
      const what = `a ConvLSTM (${req.preset}) on ${req.dataset}, ${req.step} steps, up to ${req.valTo}`;
      // The use case trains in a worker thread: this process keeps answering while the network trains.
      return ctx.jobs.run(
        jobId,
        async (progress, signal): Promise<TrainResult> => {
          const r = await train(
            ctx,
            {
              dataset: req.dataset,
              grid: req.grid,
              step: { unit: req.step },
              model: { name: 'convlstm', params },
              trainTo: req.trainTo,
              valTo: req.valTo,
              ...(resume ? { resume: true } : {}),
            },
            { progress, signal },
          );
          return {
            modelId: r.modelId,
            onnxPath: r.onnx.path,
            metrics: r.metrics,
            ...(r.resumedFromEpoch !== undefined ? { resumedFromEpoch: r.resumedFromEpoch } : {}),
          };
        },
        // Listed with its settings: a cancelled or failed run can be resumed from any tab.
        { kind: 'train', label: resume ? `resume training ${what}` : `train ${what}`, train: settings },
      );
    },
  };

  const data: Partial<HandlerMap> = {
    'datasets.list': () => datasetInfos(reader),
    'datasets.import': (req) =>
      ctx.jobs.run(
        req.jobId,
        (progress) =>
          // Over the web host the file was streamed to a temp file by upload; over Electron it comes as
          // bytes. Inside the job, so that a failure is recorded in the file's own name too.
          withFile(ctx.uploads, req, async (file) => {
            const [report] = await importData(
              ctx,
              {
                files: [file],
                dataset: req.dataset,
                city: req.city,
                tz: req.tz,
                map: req.map,
                ...(req.format === 'auto' ? {} : { format: req.format }),
              },
              { progress },
            );
            // One file, one report: the job's result is what the app announces when it ends.
            return report;
          }),
        { kind: 'import', label: `import ${req.fileName} as ${req.dataset}` },
      ),
    'datasets.rejects': ({ dataset, limit, offset }) => rejects(reader, dataset, { limit, offset }),
    'datasets.rename': ({ dataset, to }) => renameDataset(ctx.db, dataset, to),
    'datasets.delete': async ({ dataset }) => {
      const r = await deleteDataset(ctx.db, dataset);
      return { name: r.name, deleted: r.deleted, filesRemoved: r.files.length };
    },
    'datasets.setZone': ({ dataset, tz, keep }) => setDatasetZone(ctx.db, dataset, tz, keep),
    'datasets.setHolidays': ({ dataset, holidays }) => setDatasetHolidays(ctx.db, dataset, holidays),
    'events.load': ({ dataset, step }) => eventSummary(reader, dataset, step),
    'events.range': ({ dataset, fromMs, toMs }) => eventWindow(reader, dataset, fromMs, toMs),
  };

  const model: Partial<HandlerMap> = {
    'forecast.at': async (req) => {
      const f = await forecast(ctx.db, {
        dataset: req.dataset,
        at: req.at,
        model: modelChoice(req.model),
        grid: req.grid,
        step: { unit: req.step },
        horizon: req.horizon,
      });
      // Over a horizon of several steps the map shows the expected events summed over them.
      const risk = Array.from(f.risk, (_, i) => f.risks.reduce((sum, r) => sum + r[i], 0));
      return {
        model: f.model.label,
        modelId: f.model.source === 'neural' ? f.model.id : null,
        note: f.note,
        grid: { rows: f.grid.rows, cols: f.grid.cols, bbox: f.grid.bbox },
        stepStart: f.steps[0].start,
        stepEnd: f.steps[0].end,
        risk,
        studyMask: Array.from(f.studyMask),
        ...(req.units !== undefined
          ? {
              deployment: planDeployment(
                reader,
                req.dataset,
                { grid: f.grid, risk, studyMask: f.studyMask },
                { units: req.units, maxCells: req.maxCells },
                geoDir,
              ),
            }
          : {}),
        volume: {
          expected: f.volume.expected,
          typical: f.volume.typical,
          like: f.volume.like,
          holiday: f.volume.holiday,
          text: f.volume.text,
          ...unitSuggestion(f.volume),
        },
      };
    },
    'models.list': ({ dataset }) => models(ctx.db, dataset),
    'models.delete': ({ id }) => deleteModel(ctx, id),
    'models.fineTune': ({ jobId, dataset, epochs }) =>
      ctx.jobs.run(
        jobId,
        async (progress, signal) => {
          const r = await fineTune(ctx, { dataset, epochs }, { progress, signal });
          const { modelId, parentId, newSteps, heldOutSteps, before, after, keptParent, dataCutoff } = r;
          return { modelId, parentId, newSteps, heldOutSteps, before, after, keptParent, dataCutoff };
        },
        { kind: 'finetune', label: `fine-tune the newest model of ${dataset} on its new data` },
      ),
    'runs.list': ({ dataset }) =>
      listRuns(reader, dataset).map((r) => ({
        id: r.id,
        dataset: r.dataset,
        createdAt: r.createdAt,
        testFrom: r.testFrom,
        testTo: r.testTo,
        step: r.step,
        models: r.models,
        seconds: r.seconds,
      })),
    'runs.get': ({ id }) => storedRunView(ctx, id),
    'evaluate.run': (req) =>
      ctx.jobs.run(req.jobId, (progress, signal) => evaluateForPanel(ctx, req, progress, signal), {
        kind: 'evaluate',
        label: `validate ${req.models.join(', ')} on ${req.dataset}, ${req.testFrom} to ${req.testTo}`,
      }),
    'models.catalogue': () => modelCatalogue(),
  };

  const basemap: Partial<HandlerMap> = {
    'basemap.tilesInfo': () => ctx.tiles(),
  };

  const briefing: Partial<HandlerMap> = {
    'briefing.render': async (req) => {
      const { pdf, report } = await brief(ctx, briefRequestOf(req, geoDir));
      return { report, pdfBase64: pdf.toString('base64'), bytes: pdf.length };
    },
    'briefing.export': async (req) => {
      const { report, map, layers } = await exportLayers(ctx, briefRequestOf(req, geoDir), {
        format: req.format,
        single: true,
      });
      return {
        fileName: `shotcast-${report.dataset.name}-${report.window.start.slice(0, 10)}.${req.format}`,
        mimeType: req.format === 'csv' ? 'text/csv' : 'application/geo+json',
        text: layers[0].text,
        cells: map.studyMask.reduce((a, b) => a + b, 0),
        areas: report.areas.length,
      };
    },
  };

  return [app, data, model, basemap, briefing, cityHandlers(ctx)];
}

/** The contract's model choice as the use cases take it (the same shape; a missing fallback stays missing). */
function modelChoice(m: ModelChoiceValue): ModelChoice {
  if (m.kind === 'latest') return m.fallback ? { kind: 'latest', fallback: m.fallback } : { kind: 'latest' };
  return m;
}

/** A briefing request from the window as the core takes it (null: the core's default). */
function briefRequestOf(req: Request<'briefing.render'>, geoDir: string): BriefRequest {
  return {
    dataset: req.dataset,
    at: req.at,
    step: req.step,
    shiftStart: req.shiftStart,
    units: req.units,
    maxCells: req.maxCells,
    ...(req.model === null ? {} : { model: modelChoice(req.model) }),
    ...(req.agency === null ? {} : { agency: req.agency }),
    ...(req.marking === null ? {} : { marking: req.marking }),
    geoDir,
  };
}
