/**
 * The Forecast panel's patrol areas (`forecast.at` with `units`) are the briefing's: the same search on
 * the same forecast, the same place names, with outlines that enclose exactly their cells.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DC_SAMPLE } from '../../../test/paths.ts';
import { openDb, type WritableDb } from '../db/connection.ts';
import { importFile } from '../ingest/import.ts';
import { prepareBriefing } from './brief.ts';
import { placesAt } from './city.ts';
import { planDeployment } from './deploy.ts';
import { forecast } from './forecast.ts';

const dir = mkdtempSync(join(tmpdir(), 'shotcast-deploy-'));
const dbPath = join(dir, 'dc.db');
let db: WritableDb;
const KDE = { kind: 'classical' as const, model: { name: 'kde', params: { tau: '90', sigma: '0.5' } } };
const BBOX: [number, number, number, number] = [38.81, -77.05, 38.97, -76.9];

beforeAll(async () => {
  db = openDb(dbPath);
  await importFile(db, DC_SAMPLE, { dataset: 'dc' });
}, 60_000);
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Twice the signed area of a [lon, lat] ring (shoelace), positive when counter-clockwise. */
function ringArea2(ring: [number, number][]): number {
  let a = 0;
  for (let i = 0; i + 1 < ring.length; i++) a += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return a;
}

describe('patrol areas for the forecast on the map', () => {
  it('are the briefing’s areas, named alike, each outlined around exactly its cells', async () => {
    const grid = { rows: 36, cols: 36, bbox: BBOX };
    const f = await forecast(db, {
      dataset: 'dc',
      at: '2018-07-05',
      model: KDE,
      grid,
      step: { unit: 'day' },
    });
    const plan = planDeployment(
      db,
      'dc',
      { grid: f.grid, risk: f.risk, studyMask: f.studyMask },
      { units: 5 },
    );
    const { report } = await prepareBriefing(
      { db, dbPath },
      { dataset: 'dc', at: '2018-07-05', model: KDE, units: 5, grid },
    );
    expect(plan.areas.map((a) => a.cells)).toEqual(report.areas.map((a) => a.cells));
    expect(plan.areas.map((a) => a.place)).toEqual(
      report.areas.map(({ neighbourhood, psa, district }) => ({ neighbourhood, psa, district })),
    );
    expect(plan.areas.map((a) => a.share)).toEqual(report.areas.map((a) => a.share));
    expect(plan.coverage).toBeCloseTo(report.deployment.coverage, 12);
    expect(plan.coverage).toBeCloseTo(
      plan.areas.reduce((s, a) => s + a.share, 0),
      12,
    );

    const [s, w, n, e] = f.grid.bbox;
    const cellArea = ((n - s) / f.grid.rows) * ((e - w) / f.grid.cols);
    const seen = new Set<number>();
    for (const a of plan.areas) {
      expect(a.cells.length).toBeGreaterThanOrEqual(1);
      expect(a.cells.length).toBeLessThanOrEqual(plan.maxCells);
      for (const c of a.cells) {
        expect(seen.has(c)).toBe(false);
        seen.add(c);
        expect(f.studyMask[c]).toBe(1);
      }
      // Closed, counter-clockwise (RFC 7946), and enclosing the area of its cells: no more, no less.
      expect(a.ring[0]).toEqual(a.ring[a.ring.length - 1]);
      // (corners are rounded to 1e-7°, so to a part in 10,000)
      expect(ringArea2(a.ring) / 2 / (a.cells.length * cellArea)).toBeCloseTo(1, 4);
      // Every corner is a corner of one of its cells.
      for (const [lon, lat] of a.ring) {
        const col = Math.round(((lon - w) / (e - w)) * f.grid.cols);
        const row = Math.round(((n - lat) / (n - s)) * f.grid.rows);
        const touching = [row * 36 + col, row * 36 + col - 1, (row - 1) * 36 + col, (row - 1) * 36 + col - 1];
        expect(touching.some((c) => a.cells.includes(c))).toBe(true);
      }
      // Named by the place at its centre, where a layer holds it.
      const [atCentre] = placesAt(db, 'dc', [a.centre]);
      if (atCentre.district !== '—') expect(a.place.district).toBe(atCentre.district);
      expect(a.place.district).toMatch(/^[1-7]D$/);
    }
    // The areas hold the forecast's largest shares: none is below an undeployed cell's share.
    const total = Array.from(f.risk).reduce((t, r, c) => t + (f.studyMask[c] ? r : 0), 0);
    const best = Math.max(...Array.from(f.risk).map((r, c) => (f.studyMask[c] && !seen.has(c) ? r : 0)));
    for (const a of plan.areas) expect(a.share).toBeGreaterThanOrEqual(best / total);
  });

  it('one unit on a one-cell area is the riskiest study cell', async () => {
    const f = await forecast(db, {
      dataset: 'dc',
      at: '2018-07-05',
      model: KDE,
      grid: { rows: 20, cols: 20, bbox: BBOX },
      step: { unit: 'day' },
    });
    const plan = planDeployment(
      db,
      'dc',
      { grid: f.grid, risk: f.risk, studyMask: f.studyMask },
      { units: 1, maxCells: 1 },
    );
    let top = -1;
    for (let c = 0; c < f.risk.length; c++)
      if (f.studyMask[c] && (top < 0 || f.risk[c] > f.risk[top])) top = c;
    expect(plan.areas).toHaveLength(1);
    expect(plan.areas[0].cells).toEqual([top]);
    expect(plan.optimal).toBe(true);
    expect(plan.areas[0].ring).toHaveLength(5);
  });
});
