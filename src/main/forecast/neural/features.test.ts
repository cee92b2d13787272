import { describe, expect, it } from 'vitest';
import { configFromParams, parseConfig } from './config.ts';
import {
  BackgroundState,
  buildBackground,
  featureSourceAtEnd,
  calendarValues,
  featureSource,
  makeBatch,
  staticChannelCount,
  tensorFromDense,
  type FeatureOptions,
} from './features.ts';

/** Dense counts, as the tests write them; the features read them through tensorFromDense (sparse). */
interface CountTensor {
  data: Float32Array;
  total?: Float32Array;
  steps: number;
  types: number;
  rows: number;
  cols: number;
}
const sp = tensorFromDense;

function randomTensor(steps: number, types: number, rows: number, cols: number, seed: number): CountTensor {
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const data = new Float32Array(steps * types * rows * cols);
  for (let i = 0; i < data.length; i++) {
    const u = rand();
    data[i] = u < 0.8 ? 0 : u < 0.95 ? 1 : 3;
  }
  return { data, steps, types, rows, cols };
}

const at = (t: CountTensor, s: number, k: number, y: number, x: number) =>
  t.data[((s * t.types + k) * t.rows + y) * t.cols + x];

/** The definitions written out directly: every past step, a dense 2-D Gaussian, no recurrences. */
function naiveKde(t: CountTensor, step: number, tau: number, sigma: number): number[] {
  const r = Math.max(1, Math.ceil(3 * sigma));
  let norm = 0;
  for (let dy = -r; dy <= r; dy++)
    for (let dx = -r; dx <= r; dx++) norm += Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
  const out: number[] = [];
  for (let y = 0; y < t.rows; y++) {
    for (let x = 0; x < t.cols; x++) {
      let v = 0;
      for (let s = 0; s < step; s++) {
        const w = Math.exp(-(step - 1 - s) / tau);
        for (let dy = -r; dy <= r; dy++) {
          for (let dx = -r; dx <= r; dx++) {
            const yy = y + dy;
            const xx = x + dx;
            if (yy < 0 || yy >= t.rows || xx < 0 || xx >= t.cols) continue;
            const g = Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma)) / norm;
            for (let k = 0; k < t.types; k++) v += w * g * at(t, s, k, yy, xx);
          }
        }
      }
      out.push(v);
    }
  }
  return normalise(out);
}

function naiveWindow(t: CountTensor, step: number, w: number): number[] {
  const out: number[] = [];
  for (let y = 0; y < t.rows; y++)
    for (let x = 0; x < t.cols; x++) {
      let v = 0;
      for (let s = Math.max(0, step - w); s < step; s++)
        for (let k = 0; k < t.types; k++) v += at(t, s, k, y, x);
      out.push(v);
    }
  return normalise(out);
}

function normalise(v: number[]): number[] {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return v.map((x) => (mean > 0 ? Math.log1p(x / mean) : 0));
}

const OPTS: FeatureOptions = { lags: 3, calendar: true, kdeTaus: [5, 40], kdeSigma: 0.8, windows: [2, 7] };

describe('neural features', () => {
  const t = randomTensor(20, 3, 5, 6, 7);
  const cells = t.rows * t.cols;

  it('background channels equal a direct computation from strictly earlier steps', () => {
    const bg = buildBackground(sp(t), OPTS);
    const nc = 4;
    for (const step of [0, 1, 2, 9, 20]) {
      const expected = [
        naiveKde(t, step, 5, 0.8),
        naiveKde(t, step, 40, 0.8),
        naiveWindow(t, step, 2),
        naiveWindow(t, step, 7),
      ];
      for (let c = 0; c < nc; c++) {
        const got = Array.from(bg.subarray((step * nc + c) * cells, (step * nc + c + 1) * cells));
        got.forEach((g, i) => expect(g).toBeCloseTo(expected[c][i], 5));
      }
    }
  });

  it('background of a step does not change when that step or later steps change', () => {
    const changed: CountTensor = { ...t, data: Float32Array.from(t.data) };
    for (let i = 10 * t.types * cells; i < changed.data.length; i++) changed.data[i] += 5;
    const a = buildBackground(sp(t), OPTS);
    const b = buildBackground(sp(changed), OPTS);
    const upTo = 11 * 4 * cells; // steps 0..10 see only steps < 10
    expect(Array.from(b.subarray(0, upTo))).toEqual(Array.from(a.subarray(0, upTo)));
    expect(Array.from(b.subarray(upTo, upTo + cells))).not.toEqual(
      Array.from(a.subarray(upTo, upTo + cells)),
    );
  });

  it('batches hold lagged log counts, targets and type shares of the target step', () => {
    const starts = Array.from({ length: 21 }, (_, i) => `2018-06-${String(i + 1).padStart(2, '0')}T00:00:00`);
    const src = featureSource(sp(t), starts, OPTS);
    const batch = makeBatch(src, [1, 12, 20]);
    expect(batch.n).toBe(3);
    const lags = OPTS.lags;
    for (const [b, target] of [1, 12, 20].entries()) {
      for (let k = 0; k < t.types; k++)
        for (let l = 0; l < lags; l++)
          for (let y = 0; y < t.rows; y++)
            for (let x = 0; x < t.cols; x++) {
              const s = target - lags + l;
              const expected = s < 0 ? 0 : Math.log1p(at(t, s, k, y, x));
              const got = batch.seq[(((b * t.types + k) * lags + l) * t.rows + y) * t.cols + x];
              expect(got).toBeCloseTo(expected, 6);
            }
      for (let y = 0; y < t.rows; y++)
        for (let x = 0; x < t.cols; x++) {
          const i = y * t.cols + x;
          let total = 0;
          if (target < t.steps) for (let k = 0; k < t.types; k++) total += at(t, target, k, y, x);
          expect(batch.counts[b * cells + i]).toBe(total);
          expect(batch.indicator[b * cells + i]).toBe(total > 0 ? 1 : 0);
          for (let k = 0; k < t.types; k++) {
            const share = total > 0 ? at(t, target, k, y, x) / total : 0;
            expect(batch.typeShare[(b * t.types + k) * cells + i]).toBeCloseTo(share, 6);
          }
        }
      const ns = staticChannelCount(OPTS);
      const cal = calendarValues(starts[target]);
      for (let c = 0; c < 5; c++) expect(batch.stat[(b * ns + 4 + c) * cells + 3]).toBeCloseTo(cal[c], 6);
    }
  });

  it('untyped events: backgrounds and risk targets count them, type shares and lags do not', () => {
    // Extra untyped events on top of the typed ones: total = typed sum + untyped.
    const u = randomTensor(20, 1, 5, 6, 11);
    const total = new Float32Array(t.steps * cells);
    for (let s = 0; s < t.steps; s++)
      for (let i = 0; i < cells; i++) {
        let v = u.data[s * cells + i];
        for (let k = 0; k < t.types; k++) v += t.data[(s * t.types + k) * cells + i];
        total[s * cells + i] = v;
      }
    const mixed: CountTensor = { ...t, total };
    // The same events with every one in a single channel: its backgrounds are the all-event ones.
    const allInOne: CountTensor = { ...t, types: 1, data: total };
    expect(Array.from(buildBackground(sp(mixed), OPTS))).toEqual(
      Array.from(buildBackground(sp(allInOne), OPTS)),
    );
    const starts = Array.from({ length: 21 }, (_, i) => `2018-06-${String(i + 1).padStart(2, '0')}T00:00:00`);
    const batch = makeBatch(featureSource(sp(mixed), starts, OPTS), [12]);
    const typedOnly = makeBatch(featureSource(sp(t), starts, OPTS), [12]);
    expect(Array.from(batch.seq)).toEqual(Array.from(typedOnly.seq));
    expect(Array.from(batch.typeShare)).toEqual(Array.from(typedOnly.typeShare));
    let untypedOnlyCells = 0;
    for (let i = 0; i < cells; i++) {
      expect(batch.counts[i]).toBe(total[12 * cells + i]);
      expect(batch.indicator[i]).toBe(total[12 * cells + i] > 0 ? 1 : 0);
      if (batch.indicator[i] && !typedOnly.indicator[i]) untypedOnlyCells++;
    }
    // Some cells hold only untyped events: counted as risk, with no type share at all.
    expect(untypedOnlyCells).toBeGreaterThan(0);
  });

  it('calendar channels: weekday, season and the fireworks windows', () => {
    // 2018-07-04 was a Wednesday (day 3), day 184 of 365.
    const v = calendarValues('2018-07-04T00:00:00');
    expect(v[0]).toBeCloseTo(Math.sin((2 * Math.PI * 3) / 7), 9);
    expect(v[1]).toBeCloseTo(Math.cos((2 * Math.PI * 3) / 7), 9);
    expect(v[2]).toBeCloseTo(Math.sin((2 * Math.PI * 184) / 365), 9);
    expect(v[4]).toBe(1);
    expect(calendarValues('2018-07-07T00:00:00')[4]).toBe(0);
    expect(calendarValues('2017-12-31T00:00:00')[4]).toBe(1);
    expect(calendarValues('2018-01-03T00:00:00')[4]).toBe(0);
  });

  it('holiday channels: a second weekly harmonic and one flag per built-in holiday', () => {
    const v = calendarValues('2018-07-04T00:00:00', true);
    expect(v).toHaveLength(12);
    expect(v.slice(0, 5)).toEqual(calendarValues('2018-07-04T00:00:00'));
    expect(v[5]).toBeCloseTo(Math.sin((4 * Math.PI * 3) / 7), 9);
    expect(v[6]).toBeCloseTo(Math.cos((4 * Math.PI * 3) / 7), 9);
    // Flags in order July 3rd, 4th, 5th, Dec 31st, Jan 1st.
    expect(v.slice(7)).toEqual([0, 1, 0, 0, 0]);
    expect(calendarValues('2018-07-05T00:00:00', true).slice(7)).toEqual([0, 0, 1, 0, 0]);
    expect(calendarValues('2019-01-01T00:00:00', true).slice(7)).toEqual([0, 0, 0, 0, 1]);
    expect(calendarValues('2018-03-03T00:00:00', true).slice(7)).toEqual([0, 0, 0, 0, 0]);
    // A model stored before these channels existed reloads without them.
    expect(configFromParams({ calendar: true, hidden: 8 }).features.holidays).toBe(false);
    expect(configFromParams({ calendar: true, hidden: 8 }).calibrate).toBe(0);
    expect(parseConfig({}).features.holidays).toBe(true);
    // Background 3 + 4, the calendar offset, then 12 calendar channels.
    expect(staticChannelCount(parseConfig({}).features)).toBe(3 + 4 + 1 + 12);
  });
});

describe('neural features from a later step', () => {
  it('stores only the asked-for steps and matches the full build there', () => {
    const t = randomTensor(15, 3, 4, 4, 11);
    const starts = Array.from({ length: 16 }, (_, i) => `2018-03-${String(i + 1).padStart(2, '0')}T00:00:00`);
    const full = featureSource(sp(t), starts, OPTS);
    const last = featureSource(sp(t), starts, OPTS, 15);
    expect(Array.from(makeBatch(last, [15]).stat)).toEqual(Array.from(makeBatch(full, [15]).stat));
    expect(() => makeBatch(last, [14])).toThrow(/outside 15..15/);
  });
});

describe('running background state', () => {
  it('advanced along a growing history equals a fresh build at each end', () => {
    const t = randomTensor(30, 3, 4, 5, 21);
    const stepStart = (i: number) => `2018-04-${String((i % 28) + 1).padStart(2, '0')}T00:00:00`;
    const state = new BackgroundState(4, 5, OPTS);
    for (const end of [10, 11, 12, 20, 30]) {
      const prefix: CountTensor = { ...t, steps: end, data: t.data.subarray(0, end * 3 * 20) };
      const a = makeBatch(featureSourceAtEnd(sp(prefix), stepStart, state), [end]);
      const b = makeBatch(featureSource(sp(prefix), stepStart, OPTS, end), [end]);
      expect(Array.from(a.stat)).toEqual(Array.from(b.stat));
      expect(Array.from(a.seq)).toEqual(Array.from(b.seq));
    }
  });
});

describe('background channels on demand', () => {
  it('equal one uninterrupted pass, to the last bit, in any order of targets', () => {
    // Long enough for several checkpoints (one every 16 steps at least).
    const t = randomTensor(120, 3, 4, 5, 5);
    const cells = 20;
    const full = buildBackground(sp(t), OPTS);
    const starts = Array.from({ length: 121 }, () => '2018-03-01T00:00:00');
    const src = featureSource(sp(t), starts, OPTS);
    const order = [119, 3, 64, 65, 120, 0, 17, 16, 15, 90, 33, 100, 1];
    const nb = 4;
    const ns = staticChannelCount(OPTS);
    const batch = makeBatch(src, order);
    order.forEach((target, b) =>
      expect(Array.from(batch.stat.subarray(b * ns * cells, (b * ns + nb) * cells))).toEqual(
        Array.from(full.subarray(target * nb * cells, (target + 1) * nb * cells)),
      ),
    );
  });
});
