import { stepDays } from '../../grid/time.ts';
import { paramReader } from '../registry.ts';
import type { Forecaster, HistoryView } from '../types.ts';
import { Continuation, gaussianSmooth, repeatMap } from './common.ts';

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
  const cont = new Continuation();
  let acc = new Float64Array(0);
  let wsum = 0;
  return {
    name: 'kde',
    params: { tau, sigma },
    classical: true,
    fit() {},
    predict(h: HistoryView, horizon = 1) {
      const cells = h.grid.rows * h.grid.cols;
      const decay = Math.exp(-stepDays(h.step) / tau);
      const { from, to, fresh } = cont.advance(h);
      if (fresh) {
        acc = new Float64Array(cells);
        wsum = 0;
      }
      // Each new step ages everything before it by one step: K ← decay·K + c (fireworks steps only age).
      for (let s = from; s < to; s++) {
        for (let c = 0; c < cells; c++) acc[c] *= decay;
        wsum *= decay;
        if (h.excluded[s]) continue;
        wsum += 1;
        h.events.addTotal(acc, s, s + 1);
      }
      const mean = new Float64Array(cells);
      if (wsum > 0) for (let c = 0; c < cells; c++) mean[c] = acc[c] / wsum;
      return repeatMap(gaussianSmooth(h.grid, mean, sigma), horizon);
    },
  };
}
