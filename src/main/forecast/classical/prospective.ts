import { stepDays } from '../../grid/time.ts';
import { paramReader } from '../registry.ts';
import type { Forecaster, HistoryView } from '../types.ts';
import { Continuation, addSteps, countedSteps, repeatMap } from './common.ts';

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
  // Weekly bands of past counts, band w = steps of age [w·L, (w+1)·L), L = steps per week; carried
  // from step to step so an hourly evaluation does not re-read eight weeks of history every hour.
  const cont = new Continuation();
  let bands: Float64Array[] = [];
  return {
    name: 'prospective',
    params: { bw, weeks },
    classical: true,
    fit() {},
    predict(h: HistoryView, horizon = 1) {
      const { rows, cols } = h.grid;
      const cells = rows * cols;
      const L = Math.max(1, Math.round(7 / stepDays(h.step)));
      const { from, to, fresh } = cont.advance(h);
      if (fresh) {
        bands = Array.from({ length: weeks }, () => new Float64Array(cells));
        for (let w = 0; w < weeks; w++) addSteps(h, bands[w], to - (w + 1) * L, to - w * L, 1);
      } else {
        // One step on: each band gains the step entering it and loses the one leaving it.
        for (let T = from; T < to; T++) {
          for (let w = 0; w < weeks; w++) {
            addSteps(h, bands[w], T - w * L, T - w * L + 1, 1);
            addSteps(h, bands[w], T - (w + 1) * L, T - (w + 1) * L + 1, -1);
          }
        }
      }
      // Temporal part first (separable): A_m = Σ_s c_{m,s} / (1 + t_s).
      const a = new Float64Array(cells);
      let events = 0;
      for (let w = 0; w < weeks; w++) {
        const b = bands[w];
        for (let c = 0; c < cells; c++) {
          a[c] += b[c] / (1 + w);
          events += b[c];
        }
      }
      const windowFrom = Math.max(0, to - weeks * L);
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
      const perStep = events / Math.max(1, countedSteps(h, windowFrom, h.steps));
      if (total > 0) for (let c = 0; c < cells; c++) score[c] *= perStep / total;
      return repeatMap(score, horizon);
    },
  };
}
