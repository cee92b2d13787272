import type { Command } from '../command.ts';
import { catalogueUsage, LEADERBOARD, modelCatalogue } from '../../main/app/catalogue.ts';
import { withWorkstation } from '../../main/app/context.ts';
import {
  evaluate,
  UnsavedRunError,
  type Cadence,
  type EvaluateRequest,
  type EvaluationResult,
  type WindowKind,
} from '../../main/app/evaluate.ts';
import { parseHolidayList, parseModelList, readGeoJson } from '../../main/app/parse.ts';
import { UsageError } from '../../main/util/errors.ts';
import { optionalDate, optionalNumber, optionalString, requireString } from '../options.ts';
import { DATASET_OPTIONS, GRID_OPTIONS, gridOptionsFrom, stepFrom } from './grid.ts';

/** The classical leaderboard, from the model catalogue. */
const DEFAULT_MODELS = LEADERBOARD;

export const evaluateCommand: Command = {
  name: 'evaluate',
  summary: 'walk-forward evaluation of forecasters: hit rate, PAI, PEI, AUC-PR, Brier, paired bootstrap',
  usage:
    'shotcast evaluate --db PATH --dataset NAME [--bbox s,w,n,e | --boundary FILE] (--rows R --cols C | --cell METRES) --step day ' +
    `[--models ${DEFAULT_MODELS}] --test-from YYYY-MM-DD --test-to YYYY-MM-DD [--cadence step|week|month] ` +
    '[--window expanding|sliding] [--window-steps N] [--folds K] [--exclude-fireworks] [--study-area FILE.geojson] ' +
    '[--holidays YYYY-MM-DD,MM-DD,…] [--forecasts DIR] [--scorers patrol-areas] [--bootstrap N] [--seed S] [--json]',
  help:
    `models (name[:param=value,…]; the defaults shown):\n${catalogueUsage(await modelCatalogue())}\n` +
    '  model:ID  a registered model (see `shotcast models`), run from its ONNX file at each test step, never refitted; on its own grid and step, with a test period from its data cut-off on',
  options: {
    ...DATASET_OPTIONS,
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
    holidays: { type: 'string' },
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
    const options: EvaluateRequest = {
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
      holidays: parseHolidayList(optionalString(v, 'holidays') ?? ''),
      studyArea: studyArea !== undefined ? readGeoJson(studyArea) : undefined,
      studyAreaFile: studyArea,
      forecastsDir,
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
    return withWorkstation(dbPath, async (ws) => {
      let r: EvaluationResult;
      let runId: number;
      try {
        ({ result: r, runId } = await evaluate(ws, options, { progress: ctx.progress }));
      } catch (e) {
        // Finished but not stored (the database stayed locked): show the results, then say where they are.
        if (e instanceof UnsavedRunError) for (const line of leaderboard(e.output.result)) ctx.log(line);
        throw e;
      }
      for (const line of leaderboard(r)) ctx.log(line);
      ctx.log(`stored as run ${runId}${forecastsDir ? `; forecasts in ${forecastsDir}` : ''}`);
      return { ...r, runId };
    });
  },
};

/** The extra holiday dates a run used (the dataset's own and --holidays), if any. */
function holidayNote(r: EvaluationResult): string {
  // Runs stored before holidays were recorded have none listed.
  const dates = (r.options as Partial<EvaluationResult['options']> | undefined)?.holidays ?? [];
  return dates.length > 0 ? `; holidays besides the built-in ones: ${dates.join(',')}` : '';
}

export function leaderboard(r: EvaluationResult): string[] {
  const f = (x: number) => x.toFixed(3);
  const lines = [
    `${r.test.steps} ${r.step} steps ${r.test.from}..${r.test.to}, ${r.test.events} events, ${r.studyCells} study cells of ${r.grid.rows}×${r.grid.cols}${holidayNote(r)}`,
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
  return [...lines, '', ...scoreTable(r)];
}

/** The level and calibration scores (lower is better), each with its paired interval against the best classical model. */
export function scoreTable(r: EvaluationResult): string[] {
  const d = (x: number | null | undefined, n: number) => (x === null || x === undefined ? '-' : x.toFixed(n));
  const ci = (x: { diff: number; lo: number; hi: number } | undefined, n: number) =>
    x ? `${x.diff >= 0 ? '+' : ''}${x.diff.toFixed(n)} [${x.lo.toFixed(n)}, ${x.hi.toFixed(n)}]` : '-';
  const lines = [
    `| model | cell deviance | Δ vs best [95% CI] | total deviance | Δ vs best [95% CI] | total MAE | Δ vs best [95% CI] | expected / observed per ${r.step} | type log-loss | Δ vs best [95% CI] |`,
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const m of r.models) {
    const p = m.probabilistic;
    if (!p) continue;
    const v = m.vsBestScores ?? {};
    lines.push(
      `| ${m.name}${m.scaledToTrailingYear ? ' (scaled)' : ''} | ${d(p.deviance, 4)} | ${ci(v.deviance, 4)} | ${d(p.totalDeviance, 2)} | ${ci(v.totalDeviance, 2)} | ${d(p.totalMae, 2)} | ${ci(v.totalMae, 2)} | ${d(p.meanExpected, 2)} / ${d(p.meanObserved, 2)} | ${d(p.typeLogLoss, 3)} | ${ci(v.typeLogLoss, 3)} |`,
    );
  }
  const notes = r.models.flatMap((m) => (m.notes ?? []).map((n) => `${m.name}: ${n}`));
  if (notes.length) lines.push('', ...notes.map((n) => `note: ${n}`));
  return lines;
}
