import { stepDays } from '../../grid/time.ts';
import { paramReader } from '../registry.ts';
import type { Forecaster, HistoryView } from '../types.ts';
import { countedSteps, repeatMap } from './common.ts';

/**
 * `prospective` hot-spotting (Bowers, Johnson & Pease 2004): each past event adds 1/((1+d)(1+t)) to a
 * cell, d = distance between cell centres in cells, t = age in whole weeks (the latest step is week 0),
 * for d ≤ `bw` cells and t < `weeks`. The score is rescaled to the mean events per step over the time
 * window, so its output reads as events per step like the other models'.
 */
export function prospective(params: Record<string, string>): Forecaster {
  const r = paramReader('prospective', params);
  const bw = r.number('bw', 2, { min: 0 });
  const weeks = r.number('weeks', 8, { integer: true, min: 1 });
  r.done();
  return {
    name: 'prospective',
    params: { bw, weeks },
    classical: true,
    fit() {},
    predict(h: HistoryView, horizon = 1) {
      const { rows, cols } = h.grid;
      const cells = rows * cols;
      const days = stepDays(h.step);
      // Temporal part first (separable): A_m = Σ_s c_{m,s} / (1 + t_s).
      const a = new Float64Array(cells);
      let events = 0;
      let from = h.steps;
      for (let s = h.steps - 1; s >= 0; s--) {
        const age = h.steps - 1 - s;
        const t = Math.floor((age * days) / 7);
        if (t >= weeks) break;
        from = s;
        const o = s * cells;
        const wt = 1 / (1 + t);
        for (let c = 0; c < cells; c++) {
          const v = h.total[o + c];
          if (v !== 0) {
            a[c] += wt * v;
            events += v;
          }
        }
      }
      const R = Math.floor(bw);
      const score = new Float64Array(cells);
      for (let y = 0; y < rows; y++) {
        for (let x = 0; x < cols; x++) {
          let acc = 0;
          for (let dy = -R; dy <= R; dy++) {
            const yy = y + dy;
            if (yy < 0 || yy >= rows) continue;
            for (let dx = -R; dx <= R; dx++) {
              const xx = x + dx;
              if (xx < 0 || xx >= cols) continue;
              const d = Math.sqrt(dx * dx + dy * dy);
              if (d > bw) continue;
              acc += a[yy * cols + xx] / (1 + d);
            }
          }
          score[y * cols + x] = acc;
        }
      }
      let total = 0;
      for (let c = 0; c < cells; c++) total += score[c];
      const perStep = events / Math.max(1, countedSteps(h, from, h.steps));
      if (total > 0) for (let c = 0; c < cells; c++) score[c] *= perStep / total;
      return repeatMap(score, horizon);
    },
  };
}
