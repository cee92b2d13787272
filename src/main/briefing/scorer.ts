/**
 * The patrol-area scorer for walk-forward evaluation: `evaluate` with scorer 'patrol-areas' deploys 5
 * units in areas of ≤ 4 cells on every test step's forecast and reports hit rate and PAI beside the top
 * single cells at the same total area. Registered at the composition root (src/main/app/wiring.ts).
 */
import type { StepScorerFactory } from '../evaluate/scorers.ts';
import { DEFAULT_MAX_CELLS } from './deploy.ts';
import { PatrolAreaAccumulator } from './score.ts';

export const PATROL_SCORER = 'patrol-areas';
export const PATROL_SCORER_UNITS = 5;

export const patrolAreaScorer: StepScorerFactory = ({ grid, studyMask }) => {
  const acc = new PatrolAreaAccumulator({
    rows: grid.rows,
    cols: grid.cols,
    studyMask,
    units: PATROL_SCORER_UNITS,
    maxCells: DEFAULT_MAX_CELLS,
  });
  return { observe: (step) => acc.observe(step), result: () => acc.result() };
};
