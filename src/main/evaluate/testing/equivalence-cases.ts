/**
 * The walk-forward runs whose scores were recorded from the dense-tensor path (before the history
 * became sparse, issue #19) in dense-baseline.json; sparse-equivalence.test.ts runs them again and
 * compares. Run this file (`node --import tsx src/main/evaluate/testing/equivalence-cases.ts --record`)
 * only to re-record, knowing the numbers then come from the current code. Not used by the app.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WritableDb } from '../../db/connection.ts';
import type { EvaluationOptions, EvaluationResult } from '../walkforward.ts';
import { insertEvents, readMpdNormalized } from './fixtures.ts';

export const BASELINE_FILE = resolve(fileURLToPath(new URL('.', import.meta.url)), 'dense-baseline.json');
const BBOX: [number, number, number, number] = [38.81, -77.05, 38.97, -76.9];
// `sepp:decay=0,stepIters=0`: the fit the dense path had (every day weighing the same, refitted at the
// cadence only); the age-weighted default and its per-step refresh came after the dense path was gone.
// `calendar:normalize=0,monthShrink=0`: the calendar model the dense path had (version 1).
const CLASSICAL =
  'counts-all,counts-365d,kde:tau=90,sigma=0.5,kde:tau=30,sigma=0,prospective,sepp:decay=0,stepIters=0,persistence,calendar:normalize=0,monthShrink=0';

export const CASES: Record<string, Omit<EvaluationOptions, 'dataset'>> = {
  // The run: DC 36×36 daily, test 2018-01-01..09-30, monthly refits.
  daily: {
    grid: { bbox: BBOX, rows: 36, cols: 36 },
    step: { unit: 'day' },
    models: CLASSICAL,
    testFrom: '2018-01-01',
    testTo: '2018-09-30',
  },
  // Fireworks left out, a sliding window (views that do not start at step 0), weekly refits, folds.
  dailySliding: {
    grid: { bbox: BBOX, rows: 30, cols: 24 },
    step: { unit: 'day' },
    models: CLASSICAL,
    testFrom: '2017-06-01',
    testTo: '2017-08-15',
    excludeFireworks: true,
    window: 'sliding',
    windowSteps: 400,
    cadence: 'week',
    folds: 2,
  },
  // Hourly steps on a coarser grid, two weeks around July 4th.
  hourly: {
    grid: { bbox: BBOX, rows: 18, cols: 18 },
    step: { unit: 'hour' },
    models:
      'counts-365d,counts-8760d,kde:tau=90,sigma=0.5,prospective,sepp:decay=0,stepIters=0,persistence,calendar:normalize=0,monthShrink=0',
    testFrom: '2018-06-28',
    testTo: '2018-07-08',
  },
};

/** The scores compared: every number of each model's result but its time. */
export function scoresOf(r: EvaluationResult): Record<string, unknown> {
  return {
    test: r.test,
    studyCells: r.studyCells,
    oracle: r.oracle,
    models: Object.fromEntries(
      r.models.map((m) => [
        m.name,
        {
          hitRate: m.hitRate,
          pai: m.pai,
          pei: m.pei,
          aucPr: m.aucPr,
          brier: m.brier,
          accuracy: m.accuracy,
          probabilistic: m.probabilistic,
          fitted: m.fitted ?? null,
          folds: m.folds ?? null,
          vsBest: m.vsBest ?? null,
        },
      ]),
    ),
  };
}

export function loadDc(db: WritableDb, file: string): void {
  insertEvents(db, 'dc', 'America/New_York', readMpdNormalized(file));
}

if (process.argv.includes('--record')) {
  const { openDb } = await import('../../db/connection.ts');
  const { runEvaluation } = await import('../walkforward.ts');
  const { DC_SAMPLE } = await import('../../../../test/paths.ts');
  await import('../../app/wiring.ts');
  const db = openDb(':memory:');
  loadDc(db, DC_SAMPLE);
  const out: Record<string, unknown> = {};
  for (const [name, c] of Object.entries(CASES)) {
    const t = performance.now();
    const { result } = await runEvaluation(db, { dataset: 'dc', ...c });
    out[name] = scoresOf(result);
    console.error(name, ((performance.now() - t) / 1000).toFixed(1), 's');
  }
  writeFileSync(BASELINE_FILE, JSON.stringify(out, null, 1) + '\n');
}
