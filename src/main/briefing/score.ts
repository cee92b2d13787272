/**
 * Walk-forward scoring of patrol areas, the same way the evaluation scores any flagged area: pooled hit
 * rate (events in flagged cells / all events) and PAI (hit rate / flagged share of the study area), beside
 * the top-ranked single cells at exactly the same total area in every step.
 */
import { deployUnits, rankCells } from './deploy.ts';

export interface ScoredStep {
  /** Forecast risk for the step, row-major. */
  risk: ArrayLike<number>;
  /** Events that happened in the step, per cell (duplicates already excluded). */
  actual: ArrayLike<number>;
}

export interface PatrolScoreOptions {
  rows: number;
  cols: number;
  studyMask: ArrayLike<number>;
  units: number;
  maxCells?: number;
  nodeBudget?: number;
}

export interface FlaggedScore {
  hits: number;
  hitRate: number;
  pai: number;
}

export interface PatrolScore extends FlaggedScore {
  steps: number;
  events: number;
  studyCells: number;
  /** Mean cells flagged per step and their share of the study area. */
  meanCells: number;
  areaShare: number;
  /** Steps whose deployment was proven optimal. */
  optimalSteps: number;
  /** The top cells one by one, the same number of cells as the patrol areas in each step. */
  topCells: FlaggedScore;
}

export function scorePatrolAreas(steps: Iterable<ScoredStep>, opts: PatrolScoreOptions): PatrolScore {
  const { rows, cols, studyMask } = opts;
  const n = rows * cols;
  let studyCells = 0;
  for (let c = 0; c < n; c++) if (studyMask[c]) studyCells++;
  let count = 0;
  let events = 0;
  let hits = 0;
  let topHits = 0;
  let flagged = 0;
  let optimalSteps = 0;
  for (const step of steps) {
    if (step.actual.length !== n)
      throw new RangeError(`step ${count}: actual has ${step.actual.length} cells, grid has ${n}`);
    count++;
    for (let c = 0; c < n; c++) if (studyMask[c]) events += step.actual[c];
    const d = deployUnits(
      { rows, cols, risk: step.risk, studyMask },
      { units: opts.units, maxCells: opts.maxCells, nodeBudget: opts.nodeBudget },
    );
    if (d.optimal) optimalSteps++;
    for (const a of d.areas) for (const c of a.cells) hits += step.actual[c];
    flagged += d.cells;
    const top = rankCells(step.risk, studyMask).slice(0, d.cells);
    for (const c of top) topHits += step.actual[c];
  }
  const areaShare = count > 0 && studyCells > 0 ? flagged / (count * studyCells) : 0;
  const score = (h: number): FlaggedScore => {
    const hitRate = events > 0 ? h / events : 0;
    return { hits: h, hitRate, pai: areaShare > 0 ? hitRate / areaShare : 0 };
  };
  return {
    steps: count,
    events,
    studyCells,
    meanCells: count > 0 ? flagged / count : 0,
    areaShare,
    optimalSteps,
    ...score(hits),
    topCells: score(topHits),
  };
}
