import { describe, expect, it } from 'vitest';
import type { GridSpec } from '../grid/types.ts';
import { areasCsv, gridCsv, outline, toGeoJson } from './export.ts';
import { syntheticBriefing } from './synthetic.ts';

const grid: GridSpec = { bbox: [0, 0, 4, 5], rows: 4, cols: 5, cellMeters: [1, 1] };

/** Shoelace area, positive for counter-clockwise rings in lon/lat. */
function signedArea(ring: [number, number][]): number {
  let a = 0;
  for (let i = 0; i + 1 < ring.length; i++) a += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return a / 2;
}

describe('outline', () => {
  it('traces a closed counter-clockwise ring enclosing exactly the cells', () => {
    // Cells are 1° × 1° here, so the enclosed area equals the number of cells.
    for (const cells of [[0], [0, 1], [1, 6, 7, 12], [6, 7, 8, 11, 13, 16]]) {
      const ring = outline(grid, cells);
      expect(ring[0]).toEqual(ring[ring.length - 1]);
      expect(signedArea(ring)).toBeCloseTo(cells.length, 9);
    }
  });
  it('puts cell (0,0) at the north-west corner', () => {
    const ring = outline(grid, [0]);
    const lons = ring.map((p) => p[0]);
    const lats = ring.map((p) => p[1]);
    expect([Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)]).toEqual([
      0, 1, 3, 4,
    ]);
  });
});

describe('GeoJSON and CSV export', () => {
  const { report, map } = syntheticBriefing(4);
  const study = map.studyMask.reduce((s, v) => s + v, 0);

  it('writes one feature per study cell and one per patrol area, with ranks and area membership', () => {
    const fc = toGeoJson(report, map, 'both');
    const cells = fc.features.filter((f) => f.properties.layer === 'forecast');
    const areas = fc.features.filter((f) => f.properties.layer === 'patrol-area');
    expect(cells).toHaveLength(study);
    expect(areas.map((f) => f.properties.rank)).toEqual([1, 2, 3, 4]);
    const ranks = cells.map((f) => f.properties.rank as number).sort((a, b) => a - b);
    expect(ranks).toEqual(Array.from({ length: study }, (_, i) => i + 1));
    const inAreas = cells.filter((f) => f.properties.patrolArea !== null).map((f) => f.properties.cell);
    expect(inAreas.sort()).toEqual(report.areas.flatMap((a) => a.cells).sort());
    expect(JSON.parse(JSON.stringify(fc)).type).toBe('FeatureCollection');
  });

  it('writes CSV with one row per study cell and per area, escaping hostile names', () => {
    expect(gridCsv(report, map).trim().split('\n')).toHaveLength(study + 1);
    const hostile = {
      ...report,
      areas: report.areas.map((a) => ({ ...a, neighbourhood: '=cmd|"/c calc"!A1, x' })),
    };
    const lines = areasCsv(hostile).trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toContain(`"'=cmd|""/c calc""!A1, x"`);
  });
});
