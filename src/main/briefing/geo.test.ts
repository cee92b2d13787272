import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCachedLayer, writeCachedLayer } from './geo-cache.ts';
import { DEFAULT_GEO_DIR, featureAt, loadLayer, parseLayer, simplifyPath } from './geo.ts';

const squareWithHole = JSON.stringify({
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { NAME: 'ring' },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [10, 0],
            [10, 10],
            [0, 10],
            [0, 0],
          ],
          [
            [4, 4],
            [6, 4],
            [6, 6],
            [4, 6],
            [4, 4],
          ],
        ],
      },
    },
    {
      type: 'Feature',
      properties: { NAME: 'line' },
      geometry: {
        type: 'LineString',
        coordinates: [
          [0, 0],
          [1, 1],
        ],
      },
    },
  ],
});

function distToSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

describe('map layers', () => {
  it('finds the polygon containing a point, treating holes as outside', () => {
    const layer = parseLayer('t', squareWithHole);
    expect(featureAt(layer, 2, 2)?.props.NAME).toBe('ring');
    expect(featureAt(layer, 5, 5)).toBeUndefined();
    expect(featureAt(layer, 11, 5)).toBeUndefined();
  });

  it('names real DC places: the Capitol is in police district 1', () => {
    const districts = loadLayer('police-districts-mpd');
    expect(districts).toBeDefined();
    expect(featureAt(districts!, -77.0091, 38.8899)?.props.DISTRICT).toBe(1);
  });

  it('simplifies within the tolerance and keeps the end points', () => {
    // A noisy sine: every dropped point must lie within tolerance of the simplified line.
    const n = 400;
    const path = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      path[2 * i] = i;
      path[2 * i + 1] = 20 * Math.sin(i / 30) + ((i * 7919) % 13) / 26;
    }
    const tol = 0.5;
    const s = simplifyPath(path, tol);
    expect(s.length).toBeLessThan(path.length / 4);
    expect([s[0], s[1], s[s.length - 2], s[s.length - 1]]).toEqual([
      path[0],
      path[1],
      path[2 * n - 2],
      path[2 * n - 1],
    ]);
    for (let i = 0; i < n; i++) {
      let best = Infinity;
      for (let k = 0; k + 3 < s.length; k += 2)
        best = Math.min(
          best,
          distToSegment(path[2 * i], path[2 * i + 1], s[k], s[k + 1], s[k + 2], s[k + 3]),
        );
      expect(best).toBeLessThanOrEqual(tol + 1e-9);
    }
  });
});

describe('layer cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'geo-cache-'));
  afterAll(() => {
    delete process.env.SHOTCAST_CACHE_DIR;
    rmSync(dir, { recursive: true, force: true });
  });

  it('round-trips a layer exactly', () => {
    process.env.SHOTCAST_CACHE_DIR = dir;
    const file = join(DEFAULT_GEO_DIR, 'dc-boundary.geojson');
    const layer = loadLayer('dc-boundary');
    expect(layer).toBeDefined();
    writeCachedLayer(file, layer!);
    const back = readCachedLayer(file);
    expect(back?.features.length).toBe(layer!.features.length);
    expect(back?.features.map((f) => f.props)).toEqual(layer!.features.map((f) => f.props));
    expect(back?.features.map((f) => f.parts.map((p) => p.map((r) => Array.from(r))))).toEqual(
      layer!.features.map((f) => f.parts.map((p) => p.map((r) => Array.from(r)))),
    );
  });
});
