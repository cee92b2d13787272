import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from '../command.ts';
import { openDb } from '../../main/db/connection.ts';
import { readGeoJson } from '../../main/grid/geojson.ts';
import { parseModelList } from '../../main/forecast/registry.ts';
import { writeNpyFloat32 } from '../../main/evaluate/npy.ts';
import { runEvaluationInWorker } from '../../main/evaluate/run-in-worker.ts';
import { storeRun } from '../../main/evaluate/store-run.ts';
import { requireDataset } from '../../main/grid/build.ts';
import type {
  Cadence,
  EvaluationOptions,
  EvaluationResult,
  WindowKind,
} from '../../main/evaluate/walkforward.ts';
import { DataError, UsageError } from '../../main/util/errors.ts';
import { optionalDate, optionalNumber, optionalString, requireString } from '../options.ts';
import { GRID_OPTIONS, gridOptionsFrom, stepFrom } from './grid.ts';

const DEFAULT_MODELS = 'counts-all,counts-365d,kde:tau=90,sigma=0.5,prospective,sepp,persistence';

export const evaluateCommand: Command = {
  name: 'evaluate',
  summary: 'walk-forward evaluation of forecasters: hit rate, PAI, PEI, AUC-PR, Brier, paired bootstrap',
  usage:
    'shotcast evaluate --db PATH --dataset NAME [--bbox s,w,n,e | --boundary FILE] (--rows R --cols C | --cell METRES) --step day ' +
    `[--models ${DEFAULT_MODELS}] --test-from YYYY-MM-DD --test-to YYYY-MM-DD [--cadence step|week|month] ` +
    '[--window expanding|sliding] [--window-steps N] [--folds K] [--exclude-fireworks] [--study-area FILE.geojson] ' +
    '[--forecasts DIR] [--scorers patrol-areas] [--bootstrap N] [--seed S] [--json]',
  options: {
    db: { type: 'string' },
    dataset: { type: 'string' },
    ...GRID_OPTIONS,
    models: { type: 'string' },
    'test-from': { type: 'string' },
    'test-to': { type: 'string' },
    cadence: { type: 'string' },
    window: { type: 'string' },
    'window-steps': { type: 'string' },
    folds: { type: 'string' },
    'exclude-fireworks': { type: 'boolean' },
    'study-area': { type: 'string' },
    forecasts: { type: 'string' },
    bootstrap: { type: 'string' },
    seed: { type: 'string' },
    scorers: { type: 'string' },
  },
  async run(ctx) {
    const v = ctx.values;
    const dbPath = requireString(v, 'db');
    const testFrom = optionalDate(v, 'test-from');
    const testTo = optionalDate(v, 'test-to');
    if (!testFrom || !testTo) throw new UsageError('--test-from and --test-to are required (YYYY-MM-DD)');
    const cadence = optionalString(v, 'cadence') ?? 'month';
    if (!['step', 'week', 'month'].includes(cadence)) {
      throw new UsageError(`--cadence must be step, week or month, got '${cadence}'`);
    }
    const window = optionalString(v, 'window') ?? 'expanding';
    if (!['expanding', 'sliding'].includes(window)) {
      throw new UsageError(`--window must be expanding or sliding, got '${window}'`);
    }
    const studyArea = optionalString(v, 'study-area');
    const forecastsDir = optionalString(v, 'forecasts');
    const models = parseModelList(optionalString(v, 'models') ?? DEFAULT_MODELS);
    const options: EvaluationOptions = {
      dataset: requireString(v, 'dataset'),
      grid: gridOptionsFrom(v),
      step: stepFrom(v),
      models,
      testFrom,
      testTo,
      cadence: cadence as Cadence,
      window: window as WindowKind,
      windowSteps: optionalNumber(v, 'window-steps', { integer: true, min: 1 }),
      folds: optionalNumber(v, 'folds', { integer: true, min: 1 }),
      excludeFireworks: v['exclude-fireworks'] === true,
      studyArea: studyArea !== undefined ? readGeoJson(studyArea) : undefined,
      keepForecasts: forecastsDir !== undefined,
      scorers: optionalString(v, 'scorers')
        ?.split(',')
        .map((x) => x.trim())
        .filter(Boolean),
      bootstrap: {
        samples: optionalNumber(v, 'bootstrap', { integer: true, min: 10 }),
        seed: optionalNumber(v, 'seed', { integer: true, min: 0 }),
      },
    };
    // Open writable first: it migrates the database, which the read-only worker cannot.
    const db = openDb(dbPath);
    try {
      const dataset = requireDataset(db, options.dataset);
      const t0 = performance.now();
      const out = await runEvaluationInWorker(dbPath, options, { progress: ctx.progress });
      const seconds = (performance.now() - t0) / 1000;
      const r = out.result;
      if (forecastsDir && out.forecasts) {
        mkdirSync(forecastsDir, { recursive: true });
        const { rows, cols } = r.grid;
        for (const m of out.forecasts.byModel) {
          writeNpyFloat32(join(forecastsDir, `${fileName(m.name)}.npy`), m.risk, [
            out.forecasts.steps.length,
            rows,
            cols,
          ]);
        }
        writeFileSync(
          join(forecastsDir, 'index.json'),
          JSON.stringify({
            steps: out.forecasts.steps,
            rows,
            cols,
            bbox: r.grid.bbox,
            studyMask: Array.from(out.forecasts.studyMask),
            models: out.forecasts.byModel.map((m) => ({ name: m.name, file: `${fileName(m.name)}.npy` })),
          }) + '\n',
        );
      }
      const stored = await storeRun(db, dbPath, {
        datasetId: dataset.id,
        datasetHash: r.dataset.hash,
        dataCutoff: r.dataset.cutoff,
        testFrom,
        testTo,
        step: r.step,
        models: r.models.map((m) => m.name),
        options: { ...options, studyArea: studyArea ?? null, models: models.map((m) => m.spec) },
        result: r,
        seconds,
      });
      for (const line of leaderboard(r)) ctx.log(line);
      if ('file' in stored) {
        throw new DataError(
          `could not store the run (${stored.error}); the results are kept in ${stored.file}: store them with \`shotcast runs import ${stored.file} --db ${dbPath}\``,
        );
      }
      const { runId } = stored;
      ctx.log(`stored as run ${runId}${forecastsDir ? `; forecasts in ${forecastsDir}` : ''}`);
      return { ...r, runId };
    } finally {
      db.close();
    }
  },
};

/** A model name as a file name: params specs keep their letters, other characters become '_'. */
function fileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._=-]/g, '_');
}

export function leaderboard(r: EvaluationResult): string[] {
  const f = (x: number) => x.toFixed(3);
  const lines = [
    `${r.test.steps} ${r.step} steps ${r.test.from}..${r.test.to}, ${r.test.events} events, ${r.studyCells} study cells of ${r.grid.rows}×${r.grid.cols}`,
    '| model | HR@1% | HR@2% | HR@5% | HR@10% | PAI@1% | PAI@5% | PEI@5% | AUC-PR | Brier | Δ HR@1% vs best [95% CI] | Δ HR@5% vs best [95% CI] | s |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const ci = (x?: { diff: number; lo: number; hi: number }) =>
    x ? `${x.diff >= 0 ? '+' : ''}${f(x.diff)} [${f(x.lo)}, ${f(x.hi)}]` : '-';
  for (const m of r.models) {
    lines.push(
      `| ${m.name} | ${f(m.hitRate[1])} | ${f(m.hitRate[2])} | ${f(m.hitRate[5])} | ${f(m.hitRate[10])} | ${m.pai[1].toFixed(2)} | ${m.pai[5].toFixed(2)} | ${f(m.pei[5])} | ${m.aucPr.toFixed(4)} | ${m.brier.toFixed(5)} | ${ci(m.vsBest?.[1])} | ${ci(m.vsBest?.[5])} | ${m.seconds.toFixed(2)} |`,
    );
  }
  const o = r.oracle.hitRate;
  lines.push(
    `| oracle (each step's own counts) | ${f(o[1])} | ${f(o[2])} | ${f(o[5])} | ${f(o[10])} | | | 1.000 | | | | | |`,
  );
  return lines;
}
