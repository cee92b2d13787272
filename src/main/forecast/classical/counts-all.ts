import { paramReader } from '../registry.ts';
import type { Forecaster, HistoryView } from '../types.ts';
import { Continuation, addSteps, countedSteps, repeatMap } from './common.ts';

/** `counts-all`: events per cell over all visible history, as a mean per step. */
export function countsAll(params: Record<string, string>): Forecaster {
  paramReader('counts-all', params).done();
  const cont = new Continuation();
  let sum = new Float64Array(0);
  let counted = 0;
  return {
    name: 'counts-all',
    params: {},
    classical: true,
    fit() {},
    predict(h: HistoryView, horizon = 1) {
      const { from, to, fresh } = cont.advance(h);
      if (fresh) {
        sum = new Float64Array(h.grid.rows * h.grid.cols);
        counted = 0;
      }
      addSteps(h, sum, from, to, 1);
      counted += countedSteps(h, from, to);
      const n = Math.max(1, counted);
      return repeatMap(
        sum.map((v) => v / n),
        horizon,
      );
    },
  };
}
