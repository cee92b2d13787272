import type { EvaluationValue, LeaderboardRow, Request } from '../../shared/contract.ts';
import type { ProgressFn } from '../../shared/types.ts';
import type { BackendContext } from './handlers.ts';
import { evaluate, getRun, type EvaluateResult } from '../app/index.ts';

/**
 * Runs the `evaluate` use case (a worker thread, so the app stays responsive; the run is stored like the
 * CLI's) and shapes its result for the leaderboard and the per-fold chart.
 */
export async function evaluateForPanel(
  ctx: BackendContext,
  req: Request<'evaluate.run'>,
  progress: ProgressFn,
  signal: AbortSignal,
): Promise<EvaluationValue> {
  const { result, runId } = await evaluate(
    ctx,
    {
      dataset: req.dataset,
      grid: req.grid,
      step: { unit: req.step },
      models: req.models.join(','),
      testFrom: req.testFrom,
      testTo: req.testTo,
      cadence: req.cadence,
      folds: req.folds,
    },
    { progress, signal },
  );
  return evaluationView(runId, req.step, result);
}

/** A stored run, reopened: the same shape as the answer of the evaluation that stored it. */
export function storedRunView(ctx: BackendContext, id: number): EvaluationValue {
  const run = getRun(ctx.db, id);
  if (!run) throw new Error(`no stored run ${id}`);
  return evaluationView(run.id, run.step as EvaluationValue['step'], run.result as EvaluateResult['result']);
}

function evaluationView(
  runId: number,
  step: EvaluationValue['step'],
  result: EvaluateResult['result'],
): EvaluationValue {
  const foldCount = Math.max(0, ...result.models.map((m) => m.folds?.length ?? 0));
  const folds: EvaluationValue['folds'] = [];
  for (let f = 0; f < foldCount; f++) {
    const first = result.models.find((m) => m.folds?.[f])?.folds?.[f];
    const hitRate: Record<string, Record<string, number>> = {};
    for (const m of result.models) if (m.folds?.[f]) hitRate[m.spec] = m.folds[f].hitRate;
    folds.push({
      label: first ? `${first.from.slice(0, 10)}..${first.to.slice(0, 10)}` : `fold ${f + 1}`,
      hitRate,
    });
  }
  return {
    runId,
    step,
    studyCells: result.studyCells,
    test: {
      from: result.test.from,
      to: result.test.to,
      steps: result.test.steps,
      events: result.test.events,
    },
    models: result.models.map((m) => ({
      name: m.spec,
      hitRate: m.hitRate,
      pai: m.pai,
      pei: m.pei,
      seconds: m.seconds,
      ...(m.probabilistic
        ? {
            scores: {
              deviance: m.probabilistic.deviance,
              totalDeviance: m.probabilistic.totalDeviance,
              totalMae: m.probabilistic.totalMae,
              meanExpected: m.probabilistic.meanExpected,
              meanObserved: m.probabilistic.meanObserved,
              typeLogLoss: m.probabilistic.typeLogLoss,
            },
            ...(m.probabilistic.reliability
              ? {
                  reliability: m.probabilistic.reliability.map((b) => ({
                    meanP: b.meanP,
                    observed: b.observed,
                    cellSteps: b.cellSteps,
                  })),
                }
              : {}),
          }
        : {}),
      ...(m.vsBestScores ? { vsBestScores: bySpec(m.vsBestScores, result.models) } : {}),
      ...(m.notes?.length ? { notes: m.notes } : {}),
    })),
    oracle: { hitRate: result.oracle.hitRate },
    folds,
  };
}

/** The leaderboard names models by spec: so does each interval's `best`. */
function bySpec(
  v: NonNullable<EvaluateResult['result']['models'][number]['vsBestScores']>,
  models: EvaluateResult['result']['models'],
): LeaderboardRow['vsBestScores'] {
  return Object.fromEntries(
    Object.entries(v).map(([k, iv]) => [
      k,
      { ...iv, best: models.find((m) => m.name === iv.best)?.spec ?? iv.best },
    ]),
  );
}
