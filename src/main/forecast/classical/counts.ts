import { paramReader } from '../registry.ts';
import type { Forecaster, HistoryView } from '../types.ts';
import { countedSteps, repeatMap, sumSteps } from './common.ts';

/** `counts-all`: events per cell over all visible history, as a mean per step. */
export function countsAll(params: Record<string, string>): Forecaster {
  paramReader('counts-all', params).done();
  return {
    name: 'counts-all',
    params: {},
    classical: true,
    fit() {},
    predict(h: HistoryView, horizon = 1) {
      const sum = sumSteps(h, 0, h.steps);
      const n = Math.max(1, countedSteps(h));
      for (let c = 0; c < sum.length; c++) sum[c] /= n;
      return repeatMap(sum, horizon);
    },
  };
}

/** `counts-Nd` (`counts-365d` …): events per cell in the n steps before the forecast step. */
export function countsN(params: Record<string, string>): Forecaster {
  const r = paramReader('counts-Nd', params);
  const n = r.number('n', 365, { integer: true, min: 1 });
  r.done();
  return {
    name: `counts-${n}d`,
    params: { n },
    classical: true,
    fit() {},
    predict(h: HistoryView, horizon = 1) {
      const from = Math.max(0, h.steps - n);
      const sum = sumSteps(h, from, h.steps);
      const k = Math.max(1, countedSteps(h, from, h.steps));
      for (let c = 0; c < sum.length; c++) sum[c] /= k;
      return repeatMap(sum, horizon);
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
