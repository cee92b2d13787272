import { stepDays } from '../../grid/time.ts';
import { paramReader } from '../registry.ts';
import type { Forecaster, HistoryView } from '../types.ts';
import { gaussianSmooth, repeatMap } from './common.ts';

/**
 * `kde`: time-decayed kernel density. Step s (age = steps − 1 − s, so the latest step has age 0) is
 * weighted exp(−age·Δ/τ) with Δ the step length in days; the weighted mean map is then blurred by a
 * Gaussian of σ cells. The weighted mean (not sum) keeps the output in events per step.
 */
export function kde(params: Record<string, string>): Forecaster {
  const r = paramReader('kde', params);
  const tau = r.number('tau', 90, { min: 1e-6 });
  const sigma = r.number('sigma', 0.5, { min: 0 });
  r.done();
  return {
    name: 'kde',
    params: { tau, sigma },
    classical: true,
    fit() {},
    predict(h: HistoryView, horizon = 1) {
      const cells = h.grid.rows * h.grid.cols;
      const decay = Math.exp(-stepDays(h.step) / tau);
      const acc = new Float64Array(cells);
      let wsum = 0;
      let w = 1;
      // Weights below 1e-12 of the newest change nothing a float32 map can hold.
      for (let s = h.steps - 1; s >= 0 && w > 1e-12; s--, w *= decay) {
        if (h.excluded[s]) continue;
        wsum += w;
        const o = s * cells;
        for (let c = 0; c < cells; c++) {
          const v = h.total[o + c];
          if (v !== 0) acc[c] += w * v;
        }
      }
      if (wsum > 0) for (let c = 0; c < cells; c++) acc[c] /= wsum;
      return repeatMap(gaussianSmooth(h.grid, acc, sigma), horizon);
    },
  };
}
