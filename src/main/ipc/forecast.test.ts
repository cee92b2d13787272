/** `forecast.at` through the app's dispatcher: with `units` it brings the patrol areas, without none. */
import { describe, expect, it } from 'vitest';
import { DC_GRID } from '../../../test/dc-april.ts';
import type { ForecastValue } from '../../shared/contract.ts';
import { withApp } from './testing.ts';

describe('forecast.at', () => {
  it('deploys the asked-for units on the risk it returns, and none unasked', async () => {
    await withApp(async ({ d }) => {
      const req = {
        dataset: 'dc',
        step: 'day' as const,
        grid: { rows: DC_GRID.rows, cols: DC_GRID.cols, bbox: DC_GRID.bbox },
        at: '2014-04-20',
        model: { kind: 'classical' as const, model: { name: 'counts-all', params: {} } },
        horizon: 2,
      };
      const plain = await d.dispatch('forecast.at', req);
      expect(plain.ok).toBe(true);
      expect((plain as { value: ForecastValue }).value.deployment).toBeUndefined();
      const r = await d.dispatch('forecast.at', { ...req, units: 2, maxCells: 2 });
      expect(r.ok).toBe(true);
      const f = (r as { value: ForecastValue }).value;
      const dep = f.deployment!;
      expect(dep.areas).toHaveLength(2);
      expect(dep.maxCells).toBe(2);
      // On the risk the map shows (summed over the two steps' horizon): each area's risk is its cells'.
      const total = f.risk.reduce((t, v, c) => t + (f.studyMask[c] ? v : 0), 0);
      for (const a of dep.areas) {
        expect(a.cells.length).toBeLessThanOrEqual(2);
        const sum = a.cells.reduce((t, c) => t + f.risk[c], 0);
        expect(a.risk).toBeCloseTo(sum, 9);
        expect(a.share).toBeCloseTo(sum / total, 9);
      }
      expect(dep.areas[0].risk).toBeGreaterThanOrEqual(dep.areas[1].risk);
    });
  });
});
