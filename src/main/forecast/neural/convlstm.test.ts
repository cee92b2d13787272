import { describe, expect, it } from 'vitest';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { Graph } from '../../engine/onnx/graph.ts';
import { createForecaster } from '../registry.ts';
import '../all.ts';
import { configFromParams, configParams, parseConfig } from './config.ts';
import { ConvLstmForecaster, sourceOf, validationStart } from './convlstm.ts';
import { makeBatch } from './features.ts';
import { makeLoss, type RiskLoss } from './net.ts';
import { syntheticHistory } from './testing.ts';
import { denseOf } from '../testing.ts';
import {
  initAtBaseline,
  makeTrainer,
  predictRates,
  trainNetwork,
  typeHeadAtMix,
  typeMetrics,
} from './train-loop.ts';

const TINY = {
  hidden: '4',
  head: '4',
  lags: '3',
  batch: '4',
  valSteps: '20',
  taus: '30/90',
  windows: '7/28',
};

async function runLoss(risk: RiskLoss, pred: Float32Array, target: Float32Array, shape: number[]) {
  const [n, , h, w] = shape;
  const g = new Graph('loss');
  const p = g.input('p', 'float32', shape);
  const t = g.input('t', 'float32', [n, 5, h, w]);
  g.output(makeLoss({ risk, posWeight: 3, typeWeight: 0.5, types: 3 })(p, t), 'loss');
  const s = await InferenceSession.create(g.toBytes());
  const out = await s.run({
    p: new Tensor('float32', pred, shape),
    t: new Tensor('float32', target, [n, 5, h, w]),
  });
  await s.release();
  return (out.loss.data as Float32Array)[0];
}

describe('convlstm losses', () => {
  it('match the formulas computed directly', async () => {
    const n = 2;
    const cells = 6;
    const shape = [n, 4, 2, 3];
    const pred = Float32Array.from({ length: n * 4 * cells }, (_, i) => Math.sin(i * 1.7) * 2);
    const target = new Float32Array(n * 5 * cells);
    for (let b = 0; b < n; b++)
      for (let i = 0; i < cells; i++) {
        const c = (b * 7 + i * 3) % 4 === 0 ? 2 : (b + i) % 5 === 0 ? 1 : 0;
        target[(b * 5 + 0) * cells + i] = c > 0 ? 1 : 0;
        target[(b * 5 + 1) * cells + i] = c;
        if (c > 0) {
          target[(b * 5 + 2) * cells + i] = 0.5;
          target[(b * 5 + 3) * cells + i] = 0.5;
        }
      }
    const z = (b: number, i: number) => pred[b * 4 * cells + i];
    const y = (b: number, ch: number, i: number) => target[(b * 5 + ch) * cells + i];
    const sp = (x: number) => Math.log1p(Math.exp(x));
    // Type cross-entropy, per cell with events, averaged over (cells with events + 1).
    let ce = 0;
    let withEvents = 0;
    for (let b = 0; b < n; b++)
      for (let i = 0; i < cells; i++) {
        withEvents += y(b, 0, i);
        const t = [1, 2, 3].map((k) => pred[(b * 4 + k) * cells + i]);
        const lse = Math.log(t.reduce((a, v) => a + Math.exp(v), 0));
        for (let k = 0; k < 3; k++) ce -= y(b, 2 + k, i) * (t[k] - lse);
      }
    const typeTerm = (0.5 * ce) / (withEvents + 1);
    let bce = 0;
    let pois = 0;
    let mult = 0;
    let events = 0;
    for (let b = 0; b < n; b++) {
      let lse = 0;
      for (let i = 0; i < cells; i++) lse += Math.exp(z(b, i));
      lse = Math.log(lse);
      for (let i = 0; i < cells; i++) {
        bce += 3 * y(b, 0, i) * sp(-z(b, i)) + (1 - y(b, 0, i)) * sp(z(b, i));
        pois += Math.exp(z(b, i)) - y(b, 1, i) * z(b, i);
        mult -= y(b, 1, i) * (z(b, i) - lse);
        events += y(b, 1, i);
      }
    }
    expect(await runLoss('bce', pred, target, shape)).toBeCloseTo(bce / (n * cells) + typeTerm, 5);
    expect(await runLoss('poisson', pred, target, shape)).toBeCloseTo(pois / (n * cells) + typeTerm, 5);
    expect(await runLoss('multinomial', pred, target, shape)).toBeCloseTo(mult / (events + 1) + typeTerm, 5);
  });
});

describe('convlstm config', () => {
  it('parses presets and params, and names a bad parameter', () => {
    const c = parseConfig({ hidden: '8', loss: 'multinomial', taus: '30/90', calendar: '0' });
    expect(c).toMatchObject({ preset: 'default', hidden: 8, loss: 'multinomial' });
    expect(c.features).toMatchObject({ kdeTaus: [30, 90], calendar: false });
    expect(parseConfig({ preset: 'reference' })).toMatchObject({ loss: 'bce', posWeight: 20, hidden: 32 });
    expect(configFromParams(configParams(c))).toEqual(c);
    expect(() => parseConfig({ hiden: '8' })).toThrow(/unknown parameter 'hiden'/);
    expect(() => parseConfig({ hidden: '2.5' })).toThrow(/hidden must be a whole number/);
    expect(() => parseConfig({ loss: 'mse' })).toThrow(/loss must be/);
    expect(() => parseConfig({ preset: 'reference', taus: '90' })).toThrow(/reference preset/);
  });
});

describe('convlstm forecaster', () => {
  it('is registered and starts at the decayed-KDE ranking before any training step', async () => {
    expect(createForecaster('convlstm:hidden=4').name).toBe('convlstm');
    const h = syntheticHistory(50, 6, 6, 3);
    const c = parseConfig(TINY);
    const src = sourceOf(h, c);
    const trainer = makeTrainer(c, src);
    initAtBaseline(trainer, c, src, [3, 4, 5]);
    const [rates] = await predictRates(trainer, c, src, [40]);
    const kde90 = makeBatch(src, [40]).stat.subarray(36, 72); // static channel 1 = τ 90
    const order = (v: ArrayLike<number>) =>
      Array.from(v, (x, i) => [x, i])
        .sort((a, b) => b[0] - a[0] || a[1] - b[1])
        .map((p) => p[1]);
    expect(order(rates)).toEqual(order(kde90));
    // The type head starts uniform: log-loss ln 3, and argmax (ties to the first type) is right
    // exactly where 'single' is the cell's most frequent type.
    const targets = [30, 31, 32, 33, 34];
    const tm = await typeMetrics(trainer, c, src, targets);
    expect(tm.logLoss).toBeCloseTo(Math.log(3), 5);
    let cellsWithEvents = 0;
    let singleFirst = 0;
    for (const t of targets)
      for (let i = 0; i < 36; i++) {
        const v = [0, 1, 2].map((k) => denseOf(h).counts[(t * 3 + k) * 36 + i]);
        if (v[0] + v[1] + v[2] === 0) continue;
        cellsWithEvents++;
        if (v[0] >= v[1] && v[0] >= v[2]) singleFirst++;
      }
    expect(tm.cells).toBe(cellsWithEvents);
    expect(tm.accuracy).toBeCloseTo(singleFirst / cellsWithEvents, 9);
    await trainer.dispose();
  });

  it('calibrates its expected counts to the validation total', async () => {
    const h = syntheticHistory(60, 6, 6, 3);
    const c = parseConfig({ ...TINY, offset: '0', calibrate: '1' });
    const src = sourceOf(h, c);
    const trainer = makeTrainer(c, src);
    const trainTargets = [3, 4, 5, 6, 7, 8, 9, 10];
    initAtBaseline(trainer, c, src, trainTargets);
    const valTargets = [50, 51, 52, 53, 54, 55, 56, 57];
    const study = new Uint8Array(36).fill(1);
    const before = await predictRates(trainer, c, src, valTargets);
    const o = await trainNetwork(trainer, c, src, { trainTargets, valTargets, study, epochs: 0 });
    const after = await predictRates(trainer, c, src, valTargets);
    let observed = 0;
    for (const t of valTargets) for (let i = 0; i < 36; i++) observed += denseOf(h).total[t * 36 + i];
    const sum = (rs: Float32Array[]) => rs.reduce((a, r) => a + r.reduce((x, y) => x + y, 0), 0);
    expect(o.calibration).toBeCloseTo(observed / sum(before), 5);
    expect(sum(after)).toBeCloseTo(observed, 2);
    // One factor for every cell: the ranking is unchanged.
    for (let i = 0; i < 36; i++) expect(after[0][i] / before[0][i]).toBeCloseTo(o.calibration, 4);
    // The deviance early stopping watched (and tune minimises) is that of the calibrated counts.
    let dev = 0;
    const { total } = denseOf(h);
    valTargets.forEach((t, k) => {
      for (let i = 0; i < 36; i++) {
        const y = total[t * 36 + i];
        const l = Math.max(after[k][i], 1e-6);
        dev += 2 * ((y > 0 ? y * Math.log(y / l) : 0) - (y - l));
      }
    });
    expect(o.valWatchedDeviance).toBeCloseTo(dev / (36 * valTargets.length), 4);
    await trainer.dispose();
  });

  it('gives the training type mix, not 1/3 each, when early stopping keeps the untrained network', async () => {
    const h = syntheticHistory(50, 6, 6, 3);
    const c = parseConfig({ ...TINY, calibrate: '0' });
    const src = sourceOf(h, c);
    const trainer = makeTrainer(c, src);
    const trainTargets = [3, 4, 5];
    initAtBaseline(trainer, c, src, trainTargets);
    const [before] = await predictRates(trainer, c, src, [40]);
    const study = new Uint8Array(36).fill(1);
    const o = await trainNetwork(trainer, c, src, { trainTargets, valTargets: [40, 41], study, epochs: 0 });
    expect(o.bestEpoch).toBe(0);
    const [after] = await predictRates(trainer, c, src, [40]);
    expect(Array.from(after)).toEqual(Array.from(before)); // the risk channel is untouched
    // Type mix p of the training targets, from the raw counts: every cell with events then scores
    // −Σ q·log p against its own shares q, and argmax p (the commonest type) is right exactly where
    // it is also the cell's commonest type (ties to the first type on both sides).
    const cellSum = (t: number, k: number) =>
      denseOf(h)
        .counts.slice((t * 3 + k) * 36, (t * 3 + k + 1) * 36)
        .reduce((a, b) => a + b, 0);
    const p = [0, 1, 2].map((k) => trainTargets.reduce((a, t) => a + cellSum(t, k), 0));
    const mix = p.map((v) => v / (p[0] + p[1] + p[2]));
    expect(new Set(mix).size).toBe(3); // a mix that uniform probabilities would not match
    const commonest = (v: number[]) => v.indexOf(Math.max(...v));
    const targets = [30, 31, 32, 33, 34];
    let cells = 0;
    let agree = 0;
    let logLoss = 0;
    for (const t of targets)
      for (let i = 0; i < 36; i++) {
        const v = [0, 1, 2].map((k) => denseOf(h).counts[(t * 3 + k) * 36 + i]);
        const n = v[0] + v[1] + v[2];
        if (n === 0) continue;
        cells++;
        if (commonest(v) === commonest(mix)) agree++;
        logLoss -= v.reduce((a, x, k) => a + (x / n) * Math.log(mix[k]), 0);
      }
    const tm = await typeMetrics(trainer, c, src, targets);
    expect(tm.cells).toBe(cells);
    expect(tm.logLoss).toBeCloseTo(logLoss / cells, 5);
    expect(tm.accuracy).toBeCloseTo(agree / cells, 9);
    // A type head that has been trained (a fine-tune's parent kept at its epoch 0) is left alone.
    const weight = trainer.getWeights().get('out.weight')!;
    weight[weight.length - 1] = 0.5;
    const bias = Float32Array.of(0, 0.3, -0.2, 0.1);
    trainer.setWeights({ 'out.weight': weight, 'out.bias': bias });
    typeHeadAtMix(trainer, c, src, trainTargets);
    expect(Array.from(trainer.getWeights().get('out.bias')!)).toEqual(Array.from(bias));
    await trainer.dispose();
  });

  it('trains with early stopping, keeps the best validation epoch, and is reproducible', async () => {
    const h = syntheticHistory(60, 6, 6, 5);
    const run = async () => {
      const m = createForecaster({
        spec: 'convlstm',
        name: 'convlstm',
        params: { ...TINY, epochs: '3' },
      }) as ConvLstmForecaster;
      await m.fit(h);
      const p = await m.predict(h, 2);
      const o = m.lastOutcome!;
      await m.dispose?.();
      return { p, o };
    };
    const a = await run();
    const b = await run();
    expect(Array.from(a.p)).toEqual(Array.from(b.p));
    expect(a.o.valHistory.map((v) => v.hitRate5)).toEqual(b.o.valHistory.map((v) => v.hitRate5));
    expect(a.p.length).toBe(2 * 36);
    expect(a.p.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    // Early stopping keeps the epoch with the lowest validation deviance (the default monitor).
    const best = Math.min(...a.o.valHistory.map((v) => v.deviance));
    expect(a.o.valDeviance).toBe(best);
    expect(a.o.valHistory[a.o.bestEpoch].deviance).toBe(best);
    expect(validationStart(h, parseConfig(TINY))).toBe(40);
  });

  it('predicts type probabilities that sum to one per cell', async () => {
    const h = syntheticHistory(40, 5, 5, 9);
    const m = new ConvLstmForecaster(parseConfig({ ...TINY, epochs: '1', valSteps: '10' }));
    await m.fit(h);
    const { typeProbs } = await m.predictWithTypes(h);
    for (let i = 0; i < 25; i++)
      expect(typeProbs![i] + typeProbs![25 + i] + typeProbs![50 + i]).toBeCloseTo(1, 5);
    await m.dispose();
  });
});
