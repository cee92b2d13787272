import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DC_SAMPLE, REPO_ROOT, TEST_DATA } from '../../../test/paths.ts';
import { importFile } from '../ingest/import.ts';
import { tempDb } from '../ingest/testing.ts';
import { DataError } from '../util/errors.ts';
import { deleteMapLayer, placesAt } from '../app/city.ts';
import { deleteDataset } from '../app/manage.ts';
import { cityLayers } from './city.ts';
import { importLayer } from './import.ts';
import { oaklandBeats } from './testing.ts';

const FIXTURES = join(REPO_ROOT, 'test/fixtures/layers');

async function oakland() {
  const t = tempDb();
  await importFile(t.db, join(TEST_DATA, 'oakland/OakShots_latlong.csv.gz'), { dataset: 'oak' });
  return t;
}

describe('a city of its own: map layers per dataset', () => {
  it('a dataset outside DC has no layers, a DC dataset the built-in set', async () => {
    const { db } = await oakland();
    expect(cityLayers(db, 'oak').info()).toEqual({ source: 'none', attribution: null, layers: [] });
    await importFile(db, DC_SAMPLE, { dataset: 'dc' });
    const dc = cityLayers(db, 'dc').info();
    expect(dc.source).toBe('builtin');
    expect(dc.attribution).toMatch(/District of Columbia/);
    expect(dc.layers.find((l) => l.kind === 'districts')).toMatchObject({
      nameField: 'DISTRICT',
      features: 7,
    });
    db.close();
  });

  it('imports GeoJSON for a kind, guesses the name field, replaces the built-in set, and finds places by it', async () => {
    const { db, dir } = await oakland();
    const file = join(dir, 'beats.geojson');
    writeFileSync(file, oaklandBeats());
    const r = await importLayer(db, 'oak', file, { kind: 'districts', displayName: 'beats.geojson' });
    expect(r).toMatchObject({ features: 4, nameField: 'BEAT', properties: ['BEAT', 'POP'] });
    expect(r.bbox).toEqual([-122.34, 37.72, -122.13, 37.86]);
    const layers = cityLayers(db, 'oak');
    expect(layers.info()).toMatchObject({
      source: 'imported',
      attribution: 'Map layers: beats.geojson',
      layers: [{ kind: 'districts', features: 4, nameField: 'BEAT', source: 'beats.geojson' }],
    });
    expect(layers.get('boundary')).toBeUndefined();
    const { featureAt } = await import('../briefing/geo.ts');
    const l = layers.get('districts')!;
    // 37.80 N, 122.20 W lies in the north-east quadrant (split at 37.79 N, 122.235 W).
    expect(featureAt(l.layer, -122.2, 37.8)?.props.BEAT).toBe('Beat 2X');
    expect(await deleteMapLayer(db, 'oak', 'districts')).toBe(true);
    expect(cityLayers(db, 'oak').info().source).toBe('none');
    // A deleted dataset takes its layers with it.
    await importLayer(db, 'oak', file, { kind: 'districts' });
    await deleteDataset(db, 'oak');
    expect(db.prepare('SELECT COUNT(*) AS n FROM layers').get()).toEqual({ n: 0 });
    db.close();
  });

  it('names the places points lie in: the built-in DC layers, a city’s own beats, or nothing', async () => {
    const { db, dir } = await oakland();
    await importFile(db, DC_SAMPLE, { dataset: 'dc' });
    const [anacostia, congressHeights, capitol, philadelphia] = placesAt(db, 'dc', [
      { lat: 38.8627, lon: -76.9953 },
      { lat: 38.8436, lon: -76.9975 },
      { lat: 38.8899, lon: -77.0091 },
      { lat: 39.95, lon: -75.17 },
    ]);
    expect(anacostia).toEqual({
      neighbourhood: 'Sheridan, Barry Farm, Buena Vista',
      psa: '703',
      district: '7D',
    });
    expect(congressHeights).toEqual({
      neighbourhood: 'Congress Heights, Bellevue, Washington Highlands',
      psa: '705',
      district: '7D',
    });
    // The Capitol is in the First District and in no neighbourhood cluster; Philadelphia in none of DC's layers.
    expect(capitol).toEqual({ neighbourhood: '—', psa: '103', district: '1D' });
    expect(philadelphia).toEqual({ neighbourhood: '—', psa: '—', district: '—' });
    // A city with no layers names nothing; with its own beats, by their name field.
    expect(placesAt(db, 'oak', [{ lat: 37.8, lon: -122.2 }])).toEqual([
      { neighbourhood: '—', psa: '—', district: '—' },
    ]);
    const file = join(dir, 'beats.geojson');
    writeFileSync(file, oaklandBeats());
    await importLayer(db, 'oak', file, { kind: 'districts' });
    expect(
      placesAt(db, 'oak', [
        { lat: 37.8, lon: -122.2 },
        { lat: 37.75, lon: -122.3 },
        { lat: 0, lon: 0 },
      ]),
    ).toEqual([
      { neighbourhood: '—', psa: '—', district: 'Beat 2X' },
      { neighbourhood: '—', psa: '—', district: 'Beat 3Y' },
      { neighbourhood: '—', psa: '—', district: '—' },
    ]);
    expect(placesAt(db, 'oak', [])).toEqual([]);
    db.close();
  });

  it('a zipped Shapefile in a projected CRS lands where PROJ puts it (shpjs + proj4 against pyproj)', async () => {
    const { db } = await oakland();
    const zip = join(FIXTURES, 'oakland-beats-2227.zip');
    const truth = JSON.parse(readFileSync(join(FIXTURES, 'oakland-beats-2227.json'), 'utf8')) as {
      corners: Record<string, number[][]>;
    };
    const r = await importLayer(db, 'oak', zip, { kind: 'districts' });
    expect(r).toMatchObject({ features: 4, nameField: 'BEAT' });
    const stored = JSON.parse(cityLayers(db, 'oak').text('districts')!) as {
      features: { properties: { BEAT: string }; geometry: { coordinates: number[][][] } }[];
    };
    let worst = 0;
    for (const f of stored.features) {
      const ring = f.geometry.coordinates[0];
      const want = truth.corners[f.properties.BEAT];
      expect(ring).toHaveLength(want.length);
      for (const p of want) {
        // shpjs may start the ring elsewhere or turn it: match each corner to its nearest vertex.
        const d = Math.min(...ring.map((q) => Math.hypot(q[0] - p[0], q[1] - p[1])));
        worst = Math.max(worst, d);
      }
    }
    // 1e-6 degrees is about 0.1 m: two implementations of the same transformation.
    expect(worst).toBeLessThan(1e-6);
    db.close();
  });

  it('refuses a layer that is not one, with one line naming the file, and stores nothing', async () => {
    const { db, dir } = await oakland();
    const cases: [string, string, RegExp][] = [
      ['broken.geojson', '{"type": "FeatureCollection", "features": [', /not GeoJSON/],
      ['empty.geojson', '{"type":"FeatureCollection","features":[]}', /no features/],
      [
        'feet.geojson',
        JSON.stringify({
          type: 'Feature',
          properties: {},
          geometry: { type: 'Point', coordinates: [6076700, 2101600] },
        }),
        /not longitude\/latitude.*EPSG:4326/,
      ],
      [
        'crs.geojson',
        JSON.stringify({
          type: 'FeatureCollection',
          crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::2227' } },
          features: [],
        }),
        /EPSG::2227/,
      ],
    ];
    for (const [name, text, why] of cases) {
      const file = join(dir, name);
      writeFileSync(file, text);
      const e = await importLayer(db, 'oak', file, { kind: 'boundary', displayName: name }).catch(
        (x: unknown) => x,
      );
      expect(e, name).toBeInstanceOf(DataError);
      expect((e as Error).message).toMatch(why);
      expect((e as Error).message.startsWith(`${name}:`)).toBe(true);
      expect((e as Error).message).not.toContain(dir);
    }
    const named = join(dir, 'beats.geojson');
    writeFileSync(named, oaklandBeats());
    await expect(importLayer(db, 'oak', named, { kind: 'districts', nameField: 'NAME' })).rejects.toThrow(
      /no property 'NAME'.*BEAT, POP/,
    );
    expect(cityLayers(db, 'oak').info().source).toBe('none');
    db.close();
  });
});
