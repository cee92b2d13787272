import { paramReader } from '../registry.ts';
import type { Forecaster, HistoryView } from '../types.ts';
import { repeatMap, sumSteps } from './common.ts';

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
