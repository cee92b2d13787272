import { paramReader } from '../registry.ts';
import type { Forecaster, HistoryView } from '../types.ts';
import { Continuation, addSteps, countedSteps, repeatMap, sumSteps } from './common.ts';

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

/** `persistence`: the previous step's counts. */
export function persistence(params: Record<string, string>): Forecaster {
  paramReader('persistence', params).done();
  return {
    name: 'persistence',
    params: {},
    classical: true,
    fit() {},
    predict(h: HistoryView, horizon = 1) {
      const cells = h.grid.rows * h.grid.cols;
      const last = h.steps > 0 ? sumSteps(h, h.steps - 1, h.steps) : new Float64Array(cells);
      return repeatMap(last, horizon);
    },
  };
}
