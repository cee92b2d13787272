/**
 * The calendar offset: the network starts from the calendar baseline's expected counts (its log as a
 * fixed input channel the 1×1 shortcut reads with weight 1) and learns residuals on top of them. On a
 * synthetic city with a fixed map, a weekly cycle and a July 4th spike, the untrained network is the
 * calendar model itself, its validation deviance is within a few % of the generating process's, and
 * training keeps it there. Compared with the known process, never with the start.
 */
import { describe, expect, it } from 'vitest';
import { denseOf } from '../testing.ts';
import { CELLS, cutAt, dateOf, STEPS, truth, weeklyCity } from './testing.ts';
import { poissonDeviance } from '../../evaluate/probabilistic.ts';
import { calendar } from '../classical/calendar.ts';
import { ConvLstmForecaster, seenCells, sourceOf, validationStart } from './convlstm.ts';
import { configFromParams, configParams, parseConfig } from './config.ts';
import { makeBatch, offsetChannel, staticChannelCount } from './features.ts';

// The offset with the network's own level and the Poisson loss (level=free); the default's level=step is tested in level-step.test.ts.
const PARAMS = {
  offset: '1',
  level: 'free',
  calibrate: '0',
  anchor: '0',
  hidden: '4',
  head: '4',
  lags: '3',
  batch: '8',
};

describe('calendar offset', () => {
  it('is one more static channel, stored with the model and off for models stored before it', () => {
    const c = parseConfig({ offset: '1' });
    expect(staticChannelCount(c.features)).toBe(
      staticChannelCount(parseConfig({ offset: '0' }).features) + 1,
    );
    expect(offsetChannel(c.features)).toBe(c.features.kdeTaus.length + c.features.windows.length);
    expect(configFromParams(configParams(c)).features.offset).toBe(true);
    // A model stored before the offset (and the level option) existed: Poisson, no offset, its own level.
    const { offset: _, level: __, ...old } = configParams(c);
    expect(configFromParams({ ...old, loss: 'poisson' }).features.offset).toBe(false);
    expect(configFromParams({ ...old, loss: 'poisson' }).level).toBe('free');
    expect(() => parseConfig({ preset: 'reference', offset: '1' })).toThrow(/offset/);
  });

  it('holds the calendar model’s expected counts for the target step, from earlier steps only', () => {
    const { h } = weeklyCity();
    const c = parseConfig(PARAMS);
    const s = 365 * 2 + 185; // 2017-07-05
    const view = cutAt(h, s);
    const cal = calendar({});
    cal.fit(view);
    const want = cal.predict(view) as Float32Array;
    const src = sourceOf(view, c, s);
    const b = makeBatch(src, [s]);
    const k = offsetChannel(c.features);
    for (let i = 0; i < CELLS; i++) expect(Math.exp(b.stat[k * CELLS + i])).toBeCloseTo(want[i], 4);
    // A later step's events do not move it.
    const later = makeBatch(sourceOf(cutAt(h, s + 30), c, s), [s]);
    expect(Array.from(later.stat.subarray(k * CELLS, (k + 1) * CELLS))).toEqual(
      Array.from(b.stat.subarray(k * CELLS, (k + 1) * CELLS)),
    );
  });

  it('starts at the calendar baseline, within a few % of the generating process, and training keeps it there', async () => {
    const { h, share } = weeklyCity();
    const { total } = denseOf(h);
    const c = parseConfig({ ...PARAMS, lr: '0.01', epochs: '10' });
    const m = new ConvLstmForecaster(c);
    await m.fit(h);
    const o = m.lastOutcome!;
    const valFrom = validationStart(h, c);
    const study = seenCells(sourceOf(h, parseConfig({})), valFrom);
    let dev = 0;
    let n = 0;
    for (let s = valFrom; s < STEPS; s++)
      for (let i = 0; i < CELLS; i++) {
        if (!study[i]) continue;
        dev += poissonDeviance(total[s * CELLS + i], truth(s, share, i));
        n++;
      }
    const truthDev = dev / n;
    // The calendar baseline's own deviance on the same steps and cells, refitted monthly as the offset is.
    const cal = calendar({});
    let calDev = 0;
    let month = -1;
    for (let s = valFrom; s < STEPS; s++) {
      const view = cutAt(h, s);
      if (dateOf(s).getUTCMonth() !== month) {
        cal.fit(view);
        month = dateOf(s).getUTCMonth();
      }
      const r = cal.predict(view) as Float32Array;
      for (let i = 0; i < CELLS; i++)
        if (study[i]) calDev += poissonDeviance(total[s * CELLS + i], Math.max(r[i], 1e-6));
    }
    calDev /= n;
    // The untrained network is the calendar baseline (measured: 1.056 against the process's 0.943:
    // its KDE smooths the fixed map of hot cells over their neighbours).
    expect(Math.abs(o.initialValDeviance - calDev) / calDev).toBeLessThan(0.002);
    // Training learns the residual: within a few % of the generating process (measured 0.966, 2.4 %).
    expect(o.bestEpoch).toBeGreaterThan(0);
    expect(o.valDeviance).toBeLessThan(1.04 * truthDev);
    // Its forecast's total follows the weekly cycle on a Sunday and a Tuesday of June 2017.
    const sunday = 365 * 2 + 176; // 2017-06-25
    expect(dateOf(sunday).getUTCDay()).toBe(0);
    const expectTotal = (s: number) => {
      let t = 0;
      for (let i = 0; i < CELLS; i++) t += truth(s, share, i);
      return t;
    };
    const totalAt = async (s: number) => (await m.predict(cutAt(h, s))).reduce((a, b) => a + b, 0);
    for (const s of [sunday, sunday + 2]) {
      const got = await totalAt(s);
      expect(Math.abs(got - expectTotal(s)) / expectTotal(s)).toBeLessThan(0.15);
    }
    // July 4th 2017 (8 × a Tuesday): the calendar's holiday factor, from one earlier July 4th shrunk
    // towards 1, and the residual put it at 5.8 × the next Tuesday (measured).
    const jul4 = sunday + 9;
    expect(dateOf(jul4).getUTCDate()).toBe(4);
    expect((await totalAt(jul4)) / (await totalAt(jul4 + 7))).toBeGreaterThan(4);
    await m.dispose();
  }, 300_000);
});
