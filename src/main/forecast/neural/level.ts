/**
 * The network's level held at the calendar baseline's (`level=calendar|step`, with the calendar
 * offset): a re-centring of the learned residual, so training moves where the events fall and, with
 * `calendar`, which days get more or fewer, but not how many there are overall.
 * - `calendar`: one factor, fitted once after training, makes the network's expected total over the
 *   validation steps equal the calendar's (folded into the shortcut's bias, so the exported network
 *   carries it and a registered model needs nothing more).
 * - `step`: each forecast step's map is scaled so its grid total is the calendar's expected total for
 *   that step (applied after every forward pass, by `evaluate` and by a registered model alike).
 */
import type { NeuralConfig } from './config.ts';
import type { FeatureSource } from './features.ts';

export type Level = 'free' | 'calendar' | 'step';

/** Σ over cells of one step's expected counts, in double precision. */
export function gridTotal(rates: Float32Array): number {
  let s = 0;
  for (let i = 0; i < rates.length; i++) s += rates[i];
  return s;
}

/** One step's expected counts scaled so their grid total is `total`; unchanged when either is ≤ 0. */
export function atTotal(rates: Float32Array, total: number): Float32Array {
  const sum = gridTotal(rates);
  if (!(sum > 0) || !(total > 0)) return rates;
  const k = total / sum;
  return rates.map((v) => v * k);
}

/**
 * The one factor that makes the steps' summed expected counts equal the summed calendar totals
 * (`level=calendar`); 1 when either sum is 0.
 */
export function levelFactor(rates: readonly Float32Array[], totals: readonly number[]): number {
  let net = 0;
  let cal = 0;
  rates.forEach((r, j) => {
    net += gridTotal(r);
    cal += totals[j];
  });
  return net > 0 && cal > 0 ? cal / net : 1;
}

/**
 * The level a config asks of the expected counts for target step `step` of `src`: with `level=step`,
 * scaled to the calendar's expected total for the step; otherwise as they are (a `calendar` factor is
 * already in the network's weights). The one place evaluate's walk-forward and a registered model's
 * forecast apply it.
 */
export function atConfigLevel(
  rates: Float32Array,
  c: Pick<NeuralConfig, 'level'>,
  src: FeatureSource,
  step: number,
): Float32Array {
  if (c.level !== 'step') return rates;
  const total = src.levelAt?.(step) ?? 0;
  return atTotal(rates, total);
}
