import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ReadonlyDb, WritableDb } from '../db/connection.ts';
import { listDatasets } from '../db/queries/datasets.ts';
import type { DatasetInfo, TilesInfo } from '../../shared/contract.ts';
import type { HandlerMap } from './registry.ts';
import { eventColumnsForView } from './event-columns.ts';
import { importFile } from '../ingest/import.ts';
import { listRejects } from '../db/queries/rejects.ts';
import { forecastAt } from '../forecast/forecast-at.ts';
import { trainJob } from '../train/jobs.ts';
import { Jobs } from './jobs.ts';
import { runEvaluation } from './evaluation.ts';
import { renderBriefing } from '../briefing/briefing.ts';

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
}

export function datasetInfos(db: ReadonlyDb): DatasetInfo[] {
  return listDatasets(db).map((d) => ({
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
  }));
}

/** The handlers, grouped by domain; registered once through createDispatcher. */
export function createHandlers(ctx: BackendContext): Partial<HandlerMap>[] {
  const reader = ctx.reader ?? ctx.db;
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
      await ctx.jobs.run(jobId, (progress) =>
        importFile(
          ctx.db,
          join(ctx.resourcesDir, DEMO.file),
          { dataset: DEMO.dataset, city: DEMO.city, tz: DEMO.tz },
          progress,
        ),
      );
      return { imported: true, dataset: DEMO.dataset };
    },
    'jobs.cancel': ({ jobId }) => ({ cancelled: ctx.jobs.cancel(jobId) }),
    'train.status': () => ({
      available: true,
      reason:
        'the ConvLSTM trains on this machine with onnxruntime-node; the model is exported to ONNX and registered',
    }),
    'train.run': async (req) => {
      const out = join(dirname(ctx.dbPath), 'models', `convlstm-${req.dataset}-${Date.now()}.onnx`);
      await mkdir(dirname(out), { recursive: true });
      const params = [`preset=${req.preset}`, `epochs=${req.epochs}`, `lr=${req.lr}`];
      if (req.maxSeconds > 0) params.push(`maxSeconds=${req.maxSeconds}`);
      const r = await ctx.jobs.run(req.jobId, (progress, signal) =>
        trainJob(ctx.db, {
          dataset: req.dataset,
          grid: req.grid,
          step: { unit: req.step },
          model: `convlstm:${params.join(',')}`,
          trainTo: req.trainTo,
          valTo: req.valTo,
          out,
          progress,
          signal,
        }),
      );
      return { modelId: r.modelId, onnxPath: r.onnx.path, metrics: r.metrics };
    },
  };

  const data: Partial<HandlerMap> = {
    'datasets.list': () => datasetInfos(reader),
    'datasets.import': async (req) => {
      // The importer reads files; the renderer sends bytes, so they land in a private temp folder first.
      const dir = await mkdtemp(join(tmpdir(), 'shotcast-import-'));
      const file = join(dir, req.fileName);
      try {
        await writeFile(file, Buffer.from(req.contentBase64, 'base64'));
        return await ctx.jobs.run(req.jobId, (progress) =>
          importFile(
            ctx.db,
            file,
            {
              dataset: req.dataset,
              city: req.city,
              tz: req.tz,
              ...(req.format === 'auto' ? {} : { format: req.format }),
            },
            progress,
          ),
        );
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    'datasets.rejects': ({ dataset, limit, offset }) => {
      const page = listRejects(reader, dataset, { limit, offset });
      return {
        total: page.total,
        byReason: page.byReason,
        rows: page.rows.map((r) => ({ line: r.line, reason: r.reason, column: r.column, raw: r.raw })),
      };
    },
    'events.load': ({ dataset, step }) => eventColumnsForView(reader, dataset, step),
  };

  const model: Partial<HandlerMap> = {
    'forecast.at': async (req) => {
      const f = await forecastAt(ctx.db, { ...req, step: { unit: req.step } });
      const spec = Object.entries(f.model.params)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(',');
      return {
        model: spec ? `${f.model.name}:${spec}` : f.model.name,
        grid: { rows: f.grid.rows, cols: f.grid.cols, bbox: f.grid.bbox },
        stepStart: f.stepStart,
        stepEnd: f.stepEnd,
        // Over a horizon of several steps the map shows the expected events summed over them.
        risk: Array.from(f.risk, (_, i) => f.risks.reduce((sum, r) => sum + r[i], 0)),
        studyMask: Array.from(f.studyMask),
      };
    },
    'evaluate.run': (req) =>
      ctx.jobs.run(req.jobId, (progress, signal) => runEvaluation(ctx, req, progress, signal)),
  };

  const basemap: Partial<HandlerMap> = {
    // The layer name is a zod enum, so no request can name a path outside resources/geo.
    'basemap.layer': ({ layer }) => readFile(join(ctx.resourcesDir, 'geo', `${layer}.geojson`), 'utf8'),
    'basemap.tilesInfo': () => ctx.tiles(),
  };

  const briefing: Partial<HandlerMap> = {
    'briefing.render': async (req) => {
      const { pdf, report } = await renderBriefing(ctx.db, {
        dataset: req.dataset,
        at: req.at,
        step: req.step,
        shiftStart: req.shiftStart,
        units: req.units,
        maxCells: req.maxCells,
        ...(req.model === null ? {} : { model: req.model }),
        ...(req.agency === null ? {} : { agency: req.agency }),
        ...(req.marking === null ? {} : { marking: req.marking }),
        // The packaged app's own copy of the geo layers, not the repository's.
        geoDir: join(ctx.resourcesDir, 'geo'),
      });
      return { report, pdfBase64: pdf.toString('base64'), bytes: pdf.length };
    },
  };

  return [app, data, model, basemap, briefing];
}
