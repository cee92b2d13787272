/**
 * Walk-forward scoring of patrol areas, the same way the evaluation scores any flagged area: pooled hit
 * rate (events in flagged cells / all events) and PAI (hit rate / flagged share of the study area), beside
 * the top-ranked single cells at exactly the same total area in every step.
 */
import { deployUnits, rankMasked } from './deploy.ts';

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

/** Accumulates the score step by step (the shape walk-forward step scorers have). */
export class PatrolAreaAccumulator {
  private readonly n: number;
  private readonly studyCells: number;
  private count = 0;
  private events = 0;
  private hits = 0;
  private topHits = 0;
  private flagged = 0;
  private optimalSteps = 0;

  constructor(private readonly opts: PatrolScoreOptions) {
    this.n = opts.rows * opts.cols;
    let study = 0;
    for (let c = 0; c < this.n; c++) if (opts.studyMask[c]) study++;
    this.studyCells = study;
  }

  observe(step: ScoredStep): void {
    const { rows, cols, studyMask } = this.opts;
    const n = this.n;
    if (step.actual.length !== n)
      throw new RangeError(`step ${this.count}: actual has ${step.actual.length} cells, grid has ${n}`);
    this.count++;
    for (let c = 0; c < n; c++) if (studyMask[c]) this.events += step.actual[c];
    const d = deployUnits(
      { rows, cols, risk: step.risk, studyMask },
      { units: this.opts.units, maxCells: this.opts.maxCells, nodeBudget: this.opts.nodeBudget },
    );
    if (d.optimal) this.optimalSteps++;
    for (const a of d.areas) for (const c of a.cells) this.hits += step.actual[c];
    this.flagged += d.cells;
    for (const c of rankMasked(step.risk, studyMask).slice(0, d.cells)) this.topHits += step.actual[c];
  }

  result(): PatrolScore {
    const { count, studyCells, events } = this;
    const areaShare = count > 0 && studyCells > 0 ? this.flagged / (count * studyCells) : 0;
    const score = (h: number): FlaggedScore => {
      const hitRate = events > 0 ? h / events : 0;
      return { hits: h, hitRate, pai: areaShare > 0 ? hitRate / areaShare : 0 };
    };
    return {
      steps: count,
      events,
      studyCells,
      meanCells: count > 0 ? this.flagged / count : 0,
      areaShare,
      optimalSteps: this.optimalSteps,
      ...score(this.hits),
      topCells: score(this.topHits),
    };
  }
}

export function scorePatrolAreas(steps: Iterable<ScoredStep>, opts: PatrolScoreOptions): PatrolScore {
  const acc = new PatrolAreaAccumulator(opts);
  for (const step of steps) acc.observe(step);
  return acc.result();
}
