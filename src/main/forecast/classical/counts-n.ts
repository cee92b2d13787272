import { paramReader } from '../registry.ts';
import type { Forecaster, HistoryView } from '../types.ts';
import { Continuation, addSteps, countedSteps, repeatMap } from './common.ts';

/** `counts-Nd` (`counts-365d` …): events per cell in the n steps before the forecast step. */
export function countsN(params: Record<string, string>): Forecaster {
  const r = paramReader('counts-Nd', params);
  const n = r.number('n', 365, { integer: true, min: 1 });
  r.done();
  const cont = new Continuation();
  let sum = new Float64Array(0);
  return {
    name: `counts-${n}d`,
    params: { n },
    classical: true,
    fit() {},
    predict(h: HistoryView, horizon = 1) {
      const { from, to, fresh } = cont.advance(h);
      if (fresh) sum = new Float64Array(h.grid.rows * h.grid.cols);
      // The window [to − n, to) slides forward: add the new steps, drop those that left it.
      addSteps(h, sum, Math.max(from, to - n), to, 1);
      if (!fresh) addSteps(h, sum, Math.max(0, from - n), Math.min(from, Math.max(0, to - n)), -1);
      const k = Math.max(1, countedSteps(h, Math.max(0, to - n), to));
      return repeatMap(
        sum.map((v) => v / k),
        horizon,
      );
    },
  };
}
