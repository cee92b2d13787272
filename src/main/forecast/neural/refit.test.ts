/**
 * `refit`: after early stopping, a few epochs on the training and validation steps together, so the
 * network has seen the latest year. On a city whose weekend map is only partly there in the training
 * year and fully there from the validation year on, the refitted network's weekend forecast after the
 * history's end is measured against the generating process, beside the same network without the refit.
 */
import { describe, expect, it } from 'vitest';
import { CELLS, STEPS, cutAt, dateOf, weekendCity } from './testing.ts';
import { ConvLstmForecaster } from './convlstm.ts';
import { configFromParams, configParams, parseConfig } from './config.ts';

const WEEKEND_HOT = [4, 8, 16, 20];
const shareOfHot = (r: ArrayLike<number>) => {
  let hot = 0;
  let all = 0;
  for (let i = 0; i < CELLS; i++) {
    all += r[i];
    if (WEEKEND_HOT.includes(i)) hot += r[i];
  }
  return hot / all;
};

describe('refit on training + validation steps', () => {
  it('moves the weekend forecast towards the process the validation year shows', async () => {
    const { h, truthAt } = weekendCity({ seed: 29, steps: STEPS + 14, earlyShare: 0.25 });
    const fitted = cutAt(h, STEPS);
    const params = { hidden: '4', head: '4', batch: '8', lr: '0.01', epochs: '15', anchor: '0' };
    const base = new ConvLstmForecaster(parseConfig({ ...params, refit: '0' }));
    const refit = new ConvLstmForecaster(parseConfig({ ...params, refit: '4' }));
    await base.fit(fitted);
    await refit.fit(fitted);
    // The same training up to early stopping; only the refit differs.
    expect(refit.lastOutcome!.bestEpoch).toBe(base.lastOutcome!.bestEpoch);
    expect(refit.lastOutcome!.bestEpoch).toBeGreaterThan(0);
    expect(refit.lastOutcome!.refitEpochs).toBe(4);
    expect(base.lastOutcome!.refitEpochs).toBeUndefined();
    // After the history's end (a Friday, a Saturday and a Monday), the share of each day's expected
    // events in the weekend's hot cells: the refitted network's is nearer the process's, closing at
    // least a third of the gap (measured: Friday 0.162 and 0.290 against the process's 0.102,
    // Saturday 0.579 and 0.388 against 0.514, Monday 0.154 and 0.268 against 0.102).
    const days = [STEPS + 5, STEPS + 6, STEPS + 8];
    expect(days.map((s) => dateOf(s).getUTCDay())).toEqual([5, 6, 1]);
    for (const s of days) {
      const truth = shareOfHot(Array.from({ length: CELLS }, (_, i) => truthAt(s, i)));
      const b = shareOfHot(await base.predict(cutAt(h, s)));
      const r = shareOfHot(await refit.predict(cutAt(h, s)));
      expect(Math.abs(r - truth)).toBeLessThan((2 / 3) * Math.abs(b - truth));
    }
    await base.dispose();
    await refit.dispose();
  }, 300_000);

  it('is the level=step default; stored models and other levels have none; the calendar level refuses it', () => {
    expect(parseConfig({}).refit).toBe(4);
    expect(parseConfig({ level: 'free' }).refit).toBe(0);
    expect(parseConfig({ preset: 'reference' }).refit).toBe(0);
    expect(configFromParams(configParams(parseConfig({}))).refit).toBe(4);
    const stored = configParams(parseConfig({})) as Record<string, unknown>;
    delete stored.refit;
    expect(configFromParams(stored).refit).toBe(0);
    expect(() => parseConfig({ level: 'calendar', loss: 'poisson', refit: '2' })).toThrow(/refit/);
    expect(() => parseConfig({ refit: '1.5' })).toThrow(/refit must be a whole number/);
  });
});
