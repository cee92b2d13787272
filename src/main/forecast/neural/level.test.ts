/**
 * The level held at the calendar's (level.ts): a per-step re-centring makes the grid total the
 * calendar's expected total and leaves the cells' ranking alone; one factor over the validation steps
 * makes their summed total the calendar's. Models stored before the option load at their own level.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../shared/random.ts';
import { configFromParams, configParams, parseConfig, STEP_ANCHOR } from './config.ts';
import type { FeatureSource } from './features.ts';
import { atConfigLevel, atTotal, gridTotal, levelFactor } from './level.ts';

function randomMap(seed: number, cells: number): Float32Array {
  const rand = mulberry32(seed);
  // Mostly small expected counts, a few large ones, as a daily map over a city grid.
  return Float32Array.from({ length: cells }, () => rand() ** 4 * 0.8 + 1e-6);
}

const order = (r: Float32Array) => Array.from(r.keys()).sort((a, b) => r[b] - r[a] || a - b);

describe('re-centring on the calendar level', () => {
  it('scales one step so its grid total is the calendar total, keeping the ranking', () => {
    const rates = randomMap(3, 36 * 36);
    for (const total of [11.77, 0.4, 137]) {
      const out = atTotal(rates, total);
      expect(Math.abs(gridTotal(out) - total)).toBeLessThan(1e-6 * total);
      expect(order(out)).toEqual(order(rates));
      // One factor for the step: every cell's ratio is the same.
      const k = out[0] / rates[0];
      for (let i = 0; i < rates.length; i++) expect(out[i] / rates[i]).toBeCloseTo(k, 5);
    }
  });

  it('leaves a map alone when it or the total is zero', () => {
    const zero = new Float32Array(4);
    expect(atTotal(zero, 5)).toBe(zero);
    const rates = randomMap(4, 16);
    expect(atTotal(rates, 0)).toBe(rates);
  });

  it('fits one factor so the steps sum to the calendar totals, keeping the days relative to each other', () => {
    const rates = [randomMap(5, 100), randomMap(6, 100), randomMap(7, 100)];
    const totals = [12, 30, 8];
    const k = levelFactor(rates, totals);
    const scaled = rates.map((r) => r.map((v) => v * k));
    const sum = scaled.reduce((a, r) => a + gridTotal(r), 0);
    expect(Math.abs(sum - 50)).toBeLessThan(1e-6 * 50);
    expect(gridTotal(scaled[1]) / gridTotal(scaled[0])).toBeCloseTo(
      gridTotal(rates[1]) / gridTotal(rates[0]),
      5,
    );
    expect(levelFactor([new Float32Array(3)], [4])).toBe(1);
  });

  it('applies the per-step level from the feature source only with level=step', () => {
    const rates = randomMap(8, 64);
    const src = { levelAt: (t: number) => (t === 10 ? 9.5 : NaN) } as unknown as FeatureSource;
    const step = parseConfig({ level: 'step' });
    const out = atConfigLevel(rates, step, src, 10);
    expect(Math.abs(gridTotal(out) - 9.5)).toBeLessThan(1e-6 * 9.5);
    expect(order(out)).toEqual(order(rates));
    expect(atConfigLevel(rates, parseConfig({ level: 'free' }), src, 10)).toBe(rates);
    expect(atConfigLevel(rates, parseConfig({ level: 'calendar' }), src, 10)).toBe(rates);
  });
});

describe('the level option', () => {
  it('parses, round-trips through the stored params, and needs the offset', () => {
    // The default: level=step with the multinomial loss; without the offset (or with calibrate), the
    // network's own level with the Poisson loss; an explicit loss or level is kept.
    expect([parseConfig({}).level, parseConfig({}).loss]).toEqual(['step', 'multinomial']);
    expect([parseConfig({ offset: '0' }).level, parseConfig({ offset: '0' }).loss]).toEqual([
      'free',
      'poisson',
    ]);
    expect(parseConfig({ calibrate: '1' }).level).toBe('free');
    expect(parseConfig({ level: 'free' }).loss).toBe('poisson');
    expect(parseConfig({ loss: 'poisson' }).level).toBe('step');
    expect(parseConfig({ preset: 'reference' }).loss).toBe('bce');
    // The anchor: STEP_ANCHOR at level=step unless given, else 0.
    expect(parseConfig({}).anchor).toBe(STEP_ANCHOR);
    expect(parseConfig({ anchor: '0' }).anchor).toBe(0);
    expect(parseConfig({ level: 'free' }).anchor).toBe(0);
    expect(parseConfig({ offset: '0' }).anchor).toBe(0);
    expect(parseConfig({ level: 'calendar' }).level).toBe('calendar');
    expect(configFromParams(configParams(parseConfig({ level: 'step' }))).level).toBe('step');
    expect(() => parseConfig({ level: 'up' })).toThrow(/level must be free, calendar or step/);
    expect(() => parseConfig({ level: 'step', offset: '0' })).toThrow(/needs the calendar offset/);
    expect(() => parseConfig({ level: 'step', calibrate: '1' })).toThrow(/use one/);
  });

  it('loads a model stored before the option at its own level', () => {
    const stored = configParams(parseConfig({}));
    delete (stored as Record<string, unknown>).level;
    expect(configFromParams(stored).level).toBe('free');
  });
});
