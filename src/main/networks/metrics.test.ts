import { describe, expect, it } from 'vitest';
import { parseConfig } from '../forecast/neural/config.ts';
import type { TrainOutcome } from '../forecast/neural/train-loop.ts';
import { metricsOf } from './train-job.ts';
import { trialValue } from './tune-job.ts';

const outcome = (watched: number, initialWatched: number): TrainOutcome =>
  ({
    valHitRate1: 0.1,
    valHitRate5: 0.3,
    initialValHitRate5: 0.29,
    // The raw network's level (a multinomial loss leaves it arbitrary): not what forecasts use.
    valDeviance: 0.159,
    initialValDeviance: 0.121,
    valWatchedDeviance: watched,
    initialValWatchedDeviance: initialWatched,
    calibration: 1,
    valLoss: 2.9,
    valTypeAccuracy: 0.4,
    valTypeLogLoss: 1.1,
    bestEpoch: 7,
    epochs: 10,
    seconds: 3,
    stoppedBy: 'patience',
    valHistory: [],
    trainLosses: [],
  }) as TrainOutcome;

describe('what a registered model and a tune trial report', () => {
  it('gives the validation deviance at the level the forecasts use, and the start the network had', () => {
    const m = metricsOf(outcome(0.1372, 0.1381), parseConfig({}));
    expect([m.valDeviance, m.initialValDeviance]).toEqual([0.1372, 0.1381]);
    expect(m.start).toBe('calendar');
    expect(m.typeHead).toBe(0);
    expect(metricsOf(outcome(0.1, 0.1), parseConfig({ typeWeight: '0.1' })).typeHead).toBe(1);
    const trial = trialValue(outcome(0.1372, 0.1381), 'deviance');
    expect(typeof trial === 'number' ? trial : trial.objective).toBe(-0.1372);
    // Without a watched figure (no validation), the raw one.
    const raw = metricsOf(outcome(NaN, NaN), parseConfig({ offset: '0' }));
    expect([raw.valDeviance, raw.initialValDeviance]).toEqual([0.159, 0.121]);
    expect(raw.start).toBe('kde');
    expect(metricsOf(outcome(NaN, NaN), parseConfig({ preset: 'reference' })).start).toBe('untrained');
  });
});
