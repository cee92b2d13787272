/**
 * The `brief` use case: forecast the step through `forecast` (the registered model the analyst chose, the
 * newest one by default), then state the model's track record, always. The record is the newest stored run
 * that scored this model on this dataset, grid and step; when there is none, a short backtest is run here
 * (the last 90 steps, the model against counts-365d), said so in the briefing, and stored. A registered
 * network is not refitted for it: its validation scores from registration are used, beside counts-365d
 * backtested over the same days.
 */
import { getModel } from '../db/queries/models.ts';
import {
  briefingAt,
  checkBriefingOptions,
  composeBriefing,
  drawBriefing,
  type BriefingOptions,
} from '../briefing/briefing.ts';
import {
  COVERAGE,
  tooFewCells,
  findSkill,
  skillFromRun,
  storedEvaluations,
  type StoredEvaluation,
} from '../briefing/skill.ts';
import type { BriefingMap, BriefingReport, SkillSummary } from '../briefing/types.ts';
import { dateLabel } from '../briefing/when.ts';
import { flaggedCount } from '../evaluate/metrics.ts';
import { requireDataset } from '../grid/build.ts';
import { localParts, stepDays } from '../grid/time.ts';
import type { GridOptions, StepSpec } from '../grid/types.ts';
import type { JobHooks, Workstation } from './context.ts';
import { evaluate } from './evaluate.ts';
import { forecast, type Forecast } from './forecast.ts';
import { DEFAULT_CLASSICAL, type ClassicalModel, type ModelChoice } from './model-choice.ts';
import { validationScoresWords } from '../../shared/training-words.ts';

export interface BriefRequest extends BriefingOptions {
  /** Default: the dataset's newest registered model for the step, else the best classical model of the newest stored run, else the KDE. */
  model?: ModelChoice;
}

/** Steps of history the briefing's own backtest scores when no stored run has scored the model. */
export const BACKTEST_STEPS = 90;
const BASELINE = 'counts-365d';
const DAY_MS = 86_400_000;

export async function brief(
  ws: Workstation,
  req: BriefRequest,
  hooks: JobHooks = {},
): Promise<{ pdf: Buffer; report: BriefingReport }> {
  const { report, map } = await prepareBriefing(ws, req, hooks);
  return { pdf: await drawBriefing(report, map, req.geoDir), report };
}

/** The briefing without the PDF (the `--json` shape and the map's forecast); `export` uses this. */
export async function prepareBriefing(
  ws: Workstation,
  req: BriefRequest,
  hooks: JobHooks = {},
): Promise<{ report: BriefingReport; map: BriefingMap }> {
  checkBriefingOptions(req);
  const db = ws.db;
  const dataset = requireDataset(db, req.dataset);
  const stepUnit = req.step ?? 'day';
  const step: StepSpec = { unit: stepUnit, shiftStartHour: req.shiftStart };
  const latestRun = storedEvaluations(db, dataset.id, stepUnit)[0];
  const grid: GridOptions =
    req.grid ??
    (latestRun?.grid
      ? { bbox: latestRun.grid.bbox, rows: latestRun.grid.rows, cols: latestRun.grid.cols }
      : { rows: 36, cols: 36 });
  const choice: ModelChoice = req.model ?? { kind: 'latest', fallback: bestClassical(latestRun) };
  const f = await forecast(db, {
    dataset: dataset.name,
    at: briefingAt(req),
    model: choice,
    grid,
    step,
    holidays: req.holidays,
  });
  const spec = f.model.source === 'neural' ? `model:${f.model.id}` : f.model.spec;
  const skill = await trackRecord(
    ws,
    { dataset: dataset.name, datasetId: dataset.id, tz: dataset.tz },
    f,
    hooks,
  );
  return composeBriefing(db, req, {
    forecast: {
      grid: f.grid,
      risk: f.risk,
      studyMask: f.studyMask,
      stepStart: f.steps[0].start,
      stepEnd: f.steps[0].end,
      cutoffMs: f.cutoffMs,
      spec,
      name: f.model.name,
      params: flatParams(f),
      label: f.model.label,
      typeNote: f.typeNote,
      volume: f.volume,
      holidays: f.holidays,
    },
    skill,
  });
}

/** The model's record at the briefing's coverage, from a stored run or from a backtest made and stored now. */
export async function trackRecord(
  ws: Workstation,
  dataset: { dataset: string; datasetId: number; tz: string },
  f: Forecast,
  hooks: JobHooks = {},
): Promise<SkillSummary | null> {
  const stepUnit = f.step.unit;
  const spec = f.model.source === 'neural' ? `model:${f.model.id}` : f.model.spec;
  const name = f.model.source === 'neural' ? spec : f.model.name;
  // Only runs whose test window ended before the briefing's day count as its track record.
  const known = findSkill(ws.db, dataset.datasetId, stepUnit, f.grid, { spec, name }, f.steps[0].start);
  if (known) return known;
  const gridOptions: GridOptions = { bbox: f.grid.bbox, rows: f.grid.rows, cols: f.grid.cols };
  if (f.model.source === 'neural') return validationRecord(ws, dataset, f, gridOptions, hooks);
  // The last BACKTEST_STEPS steps before the forecast step, whole local days.
  const days = Math.max(1, Math.ceil(BACKTEST_STEPS * stepDays(f.step)));
  const testTo = localDate(dataset.tz, f.cutoffMs, 1);
  const testFrom = localDate(dataset.tz, f.cutoffMs, days);
  const models = spec === BASELINE ? [BASELINE] : [spec, BASELINE];
  const out = await evaluate(
    ws,
    { dataset: dataset.dataset, grid: gridOptions, step: f.step, models: models.join(','), testFrom, testTo },
    hooks,
  );
  const r = out.result;
  const stored: StoredEvaluation = {
    id: out.runId,
    testFrom,
    testTo,
    step: r.step,
    grid: r.grid,
    studyCells: r.studyCells,
    models: r.models,
  };
  const s = skillFromRun(stored, { spec, name });
  if (!s) return null;
  return {
    ...s,
    basis: { kind: 'backtest', runId: out.runId },
    sentence: `${s.sentence} No stored evaluation had scored this model here, so this briefing ran that backtest (the last ${BACKTEST_STEPS} ${stepUnit} steps, ${dateLabel(testFrom)} to ${dateLabel(testTo)}) and stored it as run ${out.runId}.`,
  };
}

/**
 * A registered network's record: its hit rate on the validation days when it was trained (not refitted
 * here), beside counts-365d backtested over the same days on the same grid (stored as a run).
 */
async function validationRecord(
  ws: Workstation,
  dataset: { dataset: string; tz: string },
  f: Forecast,
  grid: GridOptions,
  hooks: JobHooks,
): Promise<SkillSummary | null> {
  if (f.model.source !== 'neural') return null;
  const id = f.model.id;
  const record = getModel(ws.db, id);
  const metrics = record?.metrics ?? {};
  const hr = Number(metrics.valHitRate5);
  const trainTo = typeof metrics.trainTo === 'string' ? metrics.trainTo : null;
  const valTo = typeof metrics.valTo === 'string' ? metrics.valTo : record?.dataCutoff;
  if (!Number.isFinite(hr) || !trainTo || !valTo) return null;
  const testTo = shiftDate(valTo, -1);
  const out = await evaluate(
    ws,
    { dataset: dataset.dataset, grid, step: f.step, models: BASELINE, testFrom: trainTo, testTo },
    hooks,
  );
  const base = out.result.models[0];
  const n = out.result.studyCells;
  const k = flaggedCount(n, COVERAGE);
  const few = k === 0 ? tooFewCells(n) : null;
  const pai = k > 0 ? hr / (k / n) : 0;
  const key = String(COVERAGE);
  const pct = (v: number): string =>
    `${(100 * v).toFixed(Math.round(100 * v) === Math.round(100 * base.hitRate[key]) ? 1 : 0)} %`;
  const next = f.step.unit === 'shift' ? 'next-shift' : `next-${f.step.unit}`;
  return {
    basis: { kind: 'validation', runId: out.runId },
    testFrom: trainTo,
    testTo,
    coveragePct: COVERAGE,
    model: { name: `model:${id}`, hitRate: hr, pai },
    baseline: { name: BASELINE, hitRate: base.hitRate[key], pai: base.pai[key] },
    sentence:
      few ??
      `On its validation days when it was trained (${dateLabel(trainTo)} to ${dateLabel(testTo)}), the ${COVERAGE} % of the area ${f.model.label} flagged held ${pct(hr)} of ${next} gunfire (PAI ${pai.toFixed(1)}); ` +
        `last year’s hot spots (${BASELINE}) held ${pct(base.hitRate[key])} (PAI ${base.pai[key].toFixed(1)}) over the same days (backtest stored as run ${out.runId}). ` +
        validationScoresWords(metrics),
  };
}

function bestClassical(run: StoredEvaluation | undefined): ClassicalModel {
  const best = run?.models
    .filter((m) => m.classical !== false && m.hitRate['5'] !== undefined)
    .sort((a, b) => b.hitRate['5'] - a.hitRate['5'])[0];
  if (!best) return DEFAULT_CLASSICAL;
  const text = best.spec ?? best.name;
  const colon = text.indexOf(':');
  if (colon < 0) return { name: text, params: {} };
  const params: Record<string, string> = {};
  for (const kv of text.slice(colon + 1).split(',')) {
    const eq = kv.indexOf('=');
    if (eq > 0) params[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return { name: text.slice(0, colon), params };
}

function flatParams(f: Forecast): Record<string, string | number | boolean> {
  if (f.model.source === 'classical') return { ...f.model.params };
  const out: Record<string, string | number | boolean> = {
    id: f.model.id,
    preset: f.model.preset,
    dataCutoff: f.model.dataCutoff,
    onnxSha256: f.model.onnxSha256,
  };
  return out;
}

/** The local calendar date `days` days before the one holding `utcMs`. */
function localDate(tz: string, utcMs: number, days: number): string {
  const p = localParts(tz, utcMs);
  return new Date(Date.UTC(p.year, p.month - 1, p.day) - days * DAY_MS).toISOString().slice(0, 10);
}

function shiftDate(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}
