import type { GridSpec } from '../grid/types.ts';
import { UsageError } from '../util/errors.ts';

/**
 * Extra per-model scorers run inside walk-forward on every scored test step (e.g. the briefing's patrol
 * areas, scored like any other flagged area). Register one by name; `evaluate` runs the ones listed in
 * its `scorers` option and puts each result under the model's `scorers[name]`.
 */
export interface StepScorer {
  observe(step: { index: number; risk: Float32Array; actual: Float32Array }): void;
  /** A JSON-serialisable summary. */
  result(): unknown;
}

export interface StepScorerContext {
  grid: GridSpec;
  studyMask: Uint8Array;
  model: string;
}

export type StepScorerFactory = (ctx: StepScorerContext) => StepScorer;

const SCORERS = new Map<string, StepScorerFactory>();

export function registerStepScorer(name: string, factory: StepScorerFactory): void {
  if (SCORERS.has(name)) throw new Error(`step scorer '${name}' is registered twice`);
  SCORERS.set(name, factory);
}

export function getStepScorer(name: string): StepScorerFactory {
  const f = SCORERS.get(name);
  if (!f)
    throw new UsageError(
      `unknown step scorer '${name}' (known: ${[...SCORERS.keys()].join(', ') || 'none'})`,
    );
  return f;
}
