import { describe, expect, it } from 'vitest';
import { cellCentre, cellOf, makeGrid, metresPerDegree, parseBBox } from './spec.ts';
import { polygonMask } from './study.ts';
import { geoJsonBBox } from './geojson.ts';

/** Great-circle distance (haversine, mean Earth radius): an independent check of the cell size. */
function haversine(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const R = 6_371_008.8;
  const r = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * r) / 2) ** 2 +
    Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(a));
}

describe('cell assignment', () => {
  const grid = makeGrid({ bbox: [10, 20, 14, 28], rows: 4, cols: 8 });

  it('puts (0,0) at the north-west corner and follows the floor formula', () => {
    expect(cellOf(grid, 14, 20)).toBe(0);
    expect(cellOf(grid, 13.999, 20.001)).toBe(0);
    // row = floor((14 − 12.5)/4·4) = 1, col = floor((23.5 − 20)/8·8) = 3
    expect(cellOf(grid, 12.5, 23.5)).toBe(1 * 8 + 3);
    // exactly on an inner boundary: row = floor(2) = 2, col = floor(4) = 4
    expect(cellOf(grid, 12, 24)).toBe(2 * 8 + 4);
  });

  it('puts points on the south or east edge in the last row or column', () => {
    expect(cellOf(grid, 10, 21.5)).toBe(3 * 8 + 1);
    expect(cellOf(grid, 13.5, 28)).toBe(0 * 8 + 7);
    expect(cellOf(grid, 10, 28)).toBe(4 * 8 - 1);
    expect(cellOf(grid, 14, 28)).toBe(7);
  });

  it('drops points outside the bbox', () => {
    for (const [lat, lon] of [
      [9.9999, 24],
      [14.0001, 24],
      [12, 19.9999],
      [12, 28.0001],
      [Number.NaN, 24],
    ]) {
      expect(cellOf(grid, lat, lon)).toBe(-1);
    }
  });

  it('cell centres map back to their own cells', () => {
    for (let c = 0; c < 32; c++) {
      const { lat, lon } = cellCentre(grid, c);
      expect(cellOf(grid, lat, lon)).toBe(c);
    }
  });
});

describe('grid size', () => {
  it('reports cell size in metres that agrees with great-circle distances', () => {
    const g = makeGrid({ bbox: [38.81, -77.05, 38.97, -76.9], rows: 36, cols: 36 });
    const mid = (38.81 + 38.97) / 2;
    expect(g.cellMeters[0]).toBeCloseTo(haversine(38.81, -77, 38.97, -77) / 36, -1);
    expect(g.cellMeters[1]).toBeCloseTo(haversine(mid, -77.05, mid, -76.9) / 36, -1);
    expect(g.cellMeters[0]).toBeGreaterThan(490);
    expect(g.cellMeters[0]).toBeLessThan(497);
  });

  it('with --cell keeps the north-west corner and grows south and east to whole cells', () => {
    const g = makeGrid({ bbox: [38.81, -77.05, 38.97, -76.9], cellMeters: 500 });
    expect(g.bbox[2]).toBe(38.97);
    expect(g.bbox[1]).toBe(-77.05);
    const m = metresPerDegree((g.bbox[0] + g.bbox[2]) / 2);
    expect(g.rows).toBe(Math.ceil((0.16 * metresPerDegree(38.89).lat) / 500));
    expect(g.cols).toBe(Math.ceil((0.15 * metresPerDegree(38.89).lon) / 500));
    expect(g.bbox[0]).toBeLessThanOrEqual(38.81);
    expect(((g.bbox[2] - g.bbox[0]) * metresPerDegree(38.89).lat) / g.rows).toBeCloseTo(500, 6);
    expect(m.lat).toBeGreaterThan(111_000);
    expect(g.cellMeters).toEqual([500, 500]);
  });

  it('takes the extent from the data when neither bbox nor boundary is given', () => {
    const g = makeGrid({ rows: 2, cols: 2 }, () => [1, 2, 3, 4]);
    expect(g.bbox).toEqual([1, 2, 3, 4]);
    expect(() => makeGrid({ rows: 2, cols: 2 }, () => undefined)).toThrow(/no events/);
  });

  it('rejects bad options with a message naming them', () => {
    expect(() => parseBBox('1,2,3')).toThrow(/--bbox/);
    expect(() => parseBBox('3,2,1,4')).toThrow(/south < north/);
    expect(() => makeGrid({ bbox: [0, 0, 1, 1], rows: 0, cols: 3 })).toThrow(/--rows/);
    expect(() => makeGrid({ bbox: [0, 0, 1, 1] })).toThrow(/--rows and --cols, or --cell/);
    expect(() => makeGrid({ bbox: [0, 0, 1, 1], rows: 2, cols: 2, cellMeters: 100 })).toThrow(/not both/);
  });
});

describe('boundary', () => {
  // A 4×4 degree square with a 2×2 hole in its middle.
  const boundary = {
    type: 'Feature',
    properties: {},
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [4, 0],
          [4, 4],
          [0, 4],
          [0, 0],
        ],
        [
          [1, 1],
          [3, 1],
          [3, 3],
          [1, 3],
          [1, 1],
        ],
      ],
    },
  };

  it('gives the grid extent and a mask of cells whose centre is inside, holes excluded', () => {
    expect(geoJsonBBox(boundary)).toEqual([0, 0, 4, 4]);
    const g = makeGrid({ boundary, rows: 4, cols: 4 });
    expect(g.bbox).toEqual([0, 0, 4, 4]);
    expect(Array.from(polygonMask(g, boundary))).toEqual([1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 1, 1, 1]);
  });
});
