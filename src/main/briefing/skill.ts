/**
 * The model's track record in plain language, read from the newest stored walk-forward evaluation of the
 * dataset that scored this model on the same step: its hit rate and PAI at 5 % of the area beside the
 * best classical baseline's. Only a run whose test window ended before the briefing's day counts (a
 * run over later days would quote a record the forecast could not have had), and never a run whose
 * test window held no events.
 */
import type { ReadonlyDb } from '../db/connection.ts';
import { runResults } from '../db/queries/runs.ts';
import type { GridSpec } from '../grid/types.ts';
import { flaggedCount } from '../evaluate/metrics.ts';
import { dateLabel } from './when.ts';
import type { SkillSummary } from './types.ts';

export const COVERAGE = 5;

/**
 * The track record of a study area too small for one cell at COVERAGE % of it (fewer than 20 cells):
 * its hit rate there would be "0 %" of no cell at all, so the briefing says why there is none.
 */
export function tooFewCells(studyCells: number): string {
  return `The study area has ${studyCells} cell${studyCells === 1 ? '' : 's'} with past detections, too few for a track record at ${COVERAGE} % of the area (it would flag no cell); it will have one as detections spread.`;
}

/** What the briefing needs from a stored run's result (a subset of the evaluation's JSON). */
export interface StoredEvaluation {
  /** The run's id in evaluation_runs (absent for a result not yet stored). */
  id?: number;
  testFrom: string;
  testTo: string;
  step: string;
  /** Events in the test window, when the stored result says. */
  events?: number;
  /** Cells of the run's study area, when the stored result says. */
  studyCells?: number;
  grid?: { rows: number; cols: number; bbox: [number, number, number, number] };
  models: {
    name: string;
    spec?: string;
    classical?: boolean;
    hitRate: Record<string, number>;
    pai: Record<string, number>;
  }[];
}

const BASELINE_WORDS: Record<string, string> = {
  'counts-365d': 'last year’s hot spots',
  'counts-all': 'the all-time hot spots',
  kde: 'a time-decayed hot-spot map (KDE)',
  prospective: 'prospective hot-spotting',
  sepp: 'a self-exciting point-process model',
  persistence: 'the previous step’s locations',
};

function describeBaseline(name: string): string {
  return BASELINE_WORDS[name] ?? BASELINE_WORDS[name.split(':')[0]] ?? `the ${name} baseline`;
}

/** Whole percents, as people say them; one decimal when whole percents would hide a difference. */
function pcts(a: number, b?: number): [string, string] {
  const digits = b !== undefined && Math.round(100 * a) === Math.round(100 * b) && a !== b ? 1 : 0;
  const f = (v: number): string => `${(100 * v).toFixed(digits)} %`;
  return [f(a), b === undefined ? '' : f(b)];
}

/** Builds the summary for `model` from one stored evaluation, or null when the run did not score it. */
export function skillFromRun(
  run: StoredEvaluation,
  model: { spec: string; name: string },
): SkillSummary | null {
  const key = String(COVERAGE);
  const mine =
    run.models.find((m) => m.spec === model.spec) ??
    run.models.find((m) => m.name === model.spec) ??
    (model.spec === model.name ? run.models.find((m) => m.name === model.name) : undefined);
  if (!mine || mine.hitRate[key] === undefined) return null;
  const baseline = run.models
    .filter((m) => m.classical !== false && m !== mine && m.hitRate[key] !== undefined)
    .sort((a, b) => b.hitRate[key] - a.hitRate[key])[0];
  const fromYear = run.testFrom.slice(0, 4);
  const when =
    fromYear === run.testTo.slice(0, 4)
      ? `In ${fromYear} testing (${dateLabel(run.testFrom)} to ${dateLabel(run.testTo)})`
      : `In testing from ${dateLabel(run.testFrom)} to ${dateLabel(run.testTo)}`;
  const next = run.step === 'shift' ? 'next-shift' : run.step === 'hour' ? 'next-hour' : `next-${run.step}`;
  const [mineText, baseText] = pcts(mine.hitRate[key], baseline?.hitRate[key]);
  let sentence = `${when}, the ${COVERAGE} % of the area this model flagged held ${mineText} of ${next} gunfire (PAI ${mine.pai[key].toFixed(1)})`;
  if (run.studyCells !== undefined && flaggedCount(run.studyCells, COVERAGE) === 0) {
    sentence = tooFewCells(run.studyCells);
  } else if (baseline) {
    sentence += `; ${describeBaseline(baseline.spec ?? baseline.name)} (${baseline.spec ?? baseline.name}), the best classical baseline, held ${baseText} (PAI ${baseline.pai[key].toFixed(1)}).`;
  } else {
    sentence += '.';
  }
  return {
    basis: { kind: 'stored-run', runId: run.id ?? null },
    testFrom: run.testFrom,
    testTo: run.testTo,
    coveragePct: COVERAGE,
    model: { name: mine.spec ?? mine.name, hitRate: mine.hitRate[key], pai: mine.pai[key] },
    baseline: baseline
      ? { name: baseline.spec ?? baseline.name, hitRate: baseline.hitRate[key], pai: baseline.pai[key] }
      : null,
    sentence,
  };
}

/** Stored evaluations of a dataset on a step, newest first. */
export function storedEvaluations(db: ReadonlyDb, datasetId: number, step: string): StoredEvaluation[] {
  const rows = runResults(db, datasetId, step);
  const out: StoredEvaluation[] = [];
  for (const r of rows) {
    try {
      const result = JSON.parse(r.result) as Partial<StoredEvaluation> & { test?: { events?: unknown } };
      if (!Array.isArray(result.models)) continue;
      out.push({
        id: r.id,
        testFrom: r.testFrom,
        testTo: r.testTo,
        step: r.step,
        ...(typeof result.test?.events === 'number' ? { events: result.test.events } : {}),
        ...(typeof result.studyCells === 'number' ? { studyCells: result.studyCells } : {}),
        grid: result.grid,
        models: result.models,
      });
    } catch {
      // A run written by another version with unreadable results is skipped, not fatal to a briefing.
    }
  }
  return out;
}

function sameGrid(a: StoredEvaluation['grid'], b: GridSpec): boolean {
  return (
    a !== undefined &&
    a.rows === b.rows &&
    a.cols === b.cols &&
    a.bbox.every((v, i) => Math.abs(v - b.bbox[i]) < 1e-9)
  );
}

/**
 * The newest stored run on the same grid that scored the model and whose test window ended before
 * `before` (the briefing's local date, YYYY-MM-DD), as a summary; null when there is none.
 */
export function findSkill(
  db: ReadonlyDb,
  datasetId: number,
  step: string,
  grid: GridSpec,
  model: { spec: string; name: string },
  before: string,
): SkillSummary | null {
  for (const run of storedEvaluations(db, datasetId, step)) {
    if (!(run.testTo < before.slice(0, 10)) || run.events === 0) continue;
    if (!sameGrid(run.grid, grid)) continue;
    const s = skillFromRun(run, model);
    if (s) return s;
  }
  return null;
}
