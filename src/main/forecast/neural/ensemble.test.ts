import { describe, expect, it } from 'vitest';
import { createForecaster } from '../registry.ts';
import '../all.ts';
import type { HistoryView } from '../types.ts';
import { parseConfig } from './config.ts';
import { anchorOf, ConvLstmForecaster } from './convlstm.ts';
import { ConvLstmEnsemble, meanOf } from './ensemble.ts';
import { syntheticHistory } from './testing.ts';
import { denseOf, withDense } from '../testing.ts';

const TINY = {
  hidden: '4',
  head: '4',
  lags: '3',
  batch: '4',
  valSteps: '10',
  taus: '30/90',
  windows: '7/28',
  epochs: '1',
};

/** The first `steps` steps of h, sharing h's buffers (later steps stay reachable through them). */
function truncated(h: HistoryView, steps: number): HistoryView {
  return { ...h, steps, events: h.events.window(0, steps), excluded: h.excluded.subarray(0, steps) };
}

/** A copy of the first `steps` steps of h in fresh buffers. */
function copied(h: HistoryView, steps: number): HistoryView {
  const t = withDense(h, denseOf(h), steps);
  return { ...t, excluded: t.excluded.slice() };
}

describe('convlstm seed ensemble', () => {
  it('predicts the mean of its members, member i trained with seed + i', async () => {
    const h = syntheticHistory(40, 5, 5, 9);
    // Watching the loss at a high learning rate, the members leave the shared (seed-free) start.
    const moving = { ...TINY, monitor: 'loss', lr: '0.02', epochs: '2' };
    const ens = createForecaster({
      spec: 'convlstm',
      name: 'convlstm',
      params: { ...moving, members: '2', seed: '4', anchor: '0.2' },
    });
    expect(ens).toBeInstanceOf(ConvLstmEnsemble);
    await ens.fit(h);
    const got = await ens.predict(h, 1);
    const singles: Float32Array[] = [];
    const types: Float32Array[] = [];
    for (const seed of ['4', '5']) {
      const m = new ConvLstmForecaster(parseConfig({ ...moving, seed, anchor: '0' }));
      await m.fit(h);
      singles.push(await m.predict(h, 1));
      types.push((await m.predictWithTypes(h)).typeProbs!);
      await m.dispose();
    }
    // The two seeds really differ, so the mean is not one member's output.
    expect(singles[0].some((v, i) => Math.abs(v - singles[1][i]) > 1e-6)).toBe(true);
    // The blend with the decayed counts applies once, to the members' mean.
    const mean = singles[0].map((v, i) => (v + singles[1][i]) / 2);
    const want = anchorOf(mean, h, (ens as ConvLstmEnsemble).config);
    expect(want.some((v, i) => Math.abs(v - mean[i]) > 1e-4)).toBe(true);
    for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(want[i], 6);
    const withTypes = await (ens as ConvLstmEnsemble).predictWithTypes(h);
    for (let i = 0; i < types[0].length; i++)
      expect(withTypes.typeProbs![i]).toBeCloseTo((types[0][i] + types[1][i]) / 2, 6);
    await ens.dispose?.();
  });

  it('with one member is the single network', () => {
    expect(createForecaster('convlstm:hidden=4')).toBeInstanceOf(ConvLstmForecaster);
    expect(meanOf([Float32Array.of(1, 2), Float32Array.of(3, 6)])).toEqual(Float32Array.of(2, 4));
    expect(() => parseConfig({ members: '0' })).toThrow(/members must be at least 1/);
  });
});

describe('convlstm monthly fine-tuning', () => {
  it('uses only the steps before the refit, even when later ones sit in the same buffer', async () => {
    const full = syntheticHistory(70, 5, 5, 11);
    const cfg = parseConfig({ ...TINY, finetuneEpochs: '1' });
    const weightsAfter = async (second: HistoryView) => {
      const m = new ConvLstmForecaster(cfg);
      await m.fit(copied(full, 50));
      const before = m.trainer!.getWeights();
      await m.fit(second);
      const after = m.trainer!.getWeights();
      const pred = await m.predict(second, 1);
      await m.dispose();
      return { before, after, pred };
    };
    // Later steps poisoned with a flood of events: if fine-tuning read them, its weights would move.
    let poisoned = syntheticHistory(70, 5, 5, 11);
    const d = denseOf(poisoned);
    d.counts.fill(50, 60 * 3 * 25);
    d.total.fill(150, 60 * 25);
    poisoned = withDense(poisoned, d);
    const a = await weightsAfter(truncated(poisoned, 60));
    const b = await weightsAfter(copied(full, 60));
    let moved = false;
    for (const [name, w] of a.after) {
      expect(Array.from(w)).toEqual(Array.from(b.after.get(name)!));
      if (w.some((v, i) => v !== a.before.get(name)![i])) moved = true;
    }
    expect(moved).toBe(true);
    expect(Array.from(a.pred)).toEqual(Array.from(b.pred));
  });

  it('keeps the first fit when finetuneEpochs is 0', async () => {
    const h = syntheticHistory(60, 5, 5, 11);
    const m = new ConvLstmForecaster(parseConfig(TINY));
    await m.fit(copied(h, 50));
    const before = m.trainer!.getWeights();
    await m.fit(h);
    for (const [name, w] of m.trainer!.getWeights())
      expect(Array.from(w)).toEqual(Array.from(before.get(name)!));
    await m.dispose();
  });
});
