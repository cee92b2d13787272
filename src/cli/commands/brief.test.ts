import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../main/db/connection.ts';
import { saveRun } from '../../main/db/queries/runs.ts';
import { pageOneMapBox } from '../../main/briefing/pdf.ts';
import { loadDcSample } from '../../main/briefing/testing/dc-sample.ts';
import { countPixels, pdfInfo, pdfText, rasterise } from '../../main/briefing/testing/poppler.ts';
import type { BriefingReport } from '../../main/briefing/types.ts';
import { runCliCaptured } from '../testing.ts';

const BBOX: [number, number, number, number] = [38.81, -77.05, 38.97, -76.9];

let dir: string;
let db: string;

const cli = runCliCaptured;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shotcast-brief-'));
  db = join(dir, 'dc.db');
  const handle = openDb(db);
  try {
    await loadDcSample(handle);
    const id = (handle.prepare(`SELECT id FROM datasets WHERE name = 'dc'`).get() as { id: number }).id;
    // A stored walk-forward run on the same grid, so the briefing states a track record from the database.
    saveRun(handle, {
      datasetId: id,
      datasetHash: 'test',
      dataCutoff: '2018-01-01T00:00:00-05:00',
      testFrom: '2018-01-01',
      testTo: '2018-09-28',
      step: 'day',
      models: ['counts-365d', 'kde'],
      options: {},
      result: {
        grid: { rows: 36, cols: 36, bbox: BBOX, cellMeters: [494, 361] },
        models: [
          {
            name: 'counts-Nd',
            spec: 'counts-365d',
            classical: true,
            hitRate: { '5': 0.361 },
            pai: { '5': 7.22 },
          },
          { name: 'kde', spec: 'kde', classical: true, hitRate: { '5': 0.384 }, pai: { '5': 7.68 } },
        ],
      },
      seconds: 1,
    });
  } finally {
    handle.close();
  }
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('shotcast brief on the DC sample', () => {
  it('writes a two-page briefing with every section, one table row per unit, and a map that is not blank', async () => {
    const out = join(dir, 'briefing.pdf');
    const { code, stdout } = await cli([
      'brief',
      '--db',
      db,
      '--dataset',
      'dc',
      '--at',
      '2018-09-29',
      '--units',
      '7',
      '--agency',
      'Metropolitan Police Department',
      '--marking',
      'FOR OFFICIAL USE ONLY',
      '--out',
      out,
      '--json',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as BriefingReport & { out: string };
    // With no --model and no grid, the briefing takes the stored run's grid and its best classical model.
    expect(report.model.spec).toBe('kde');
    expect(report.grid.bbox).toEqual(BBOX);
    expect(report.areas).toHaveLength(7);
    expect(report.areas.every((a) => /^\d{3}$/.test(a.psa) && a.neighbourhood !== '—')).toBe(true);
    expect(report.deployment.coverage).toBeGreaterThan(0);
    expect(report.deployment.topCells.coverage).toBeGreaterThanOrEqual(report.deployment.coverage);
    expect(report.recent.total7).toBe(Object.values(report.recent.byType7).reduce((s, v) => s + v, 0));
    expect(report.recent.hourly28.reduce((s, v) => s + v, 0)).toBe(report.recent.total28);
    // The volume: beside the typical Saturday, the mean over the year's ordinary Saturdays (fireworks
    // windows left out) of the distinct events in the grid, counted here straight from the database.
    const saturdays: string[] = [];
    for (
      let t = Date.parse('2017-09-29T00:00:00Z');
      t < Date.parse('2018-09-29T00:00:00Z');
      t += 86_400_000
    ) {
      const d = new Date(t);
      const [m, day] = [d.getUTCMonth() + 1, d.getUTCDate()];
      const fireworks = (m === 12 && day >= 29) || (m === 1 && day <= 2) || (m === 7 && day <= 6);
      if (d.getUTCDay() === 6 && !fireworks) saturdays.push(d.toISOString().slice(0, 10));
    }
    const h = openDb(db);
    const n = (
      h
        .prepare(
          `SELECT COUNT(*) AS n FROM events_local WHERE duplicate_of IS NULL AND substr(local_time, 1, 10) IN (${saturdays.map(() => '?').join(',')})
           AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?`,
        )
        .get(...saturdays, BBOX[0], BBOX[2], BBOX[1], BBOX[3]) as { n: number }
    ).n;
    h.close();
    const v = report.volume;
    expect(v).toMatchObject({ like: 'Saturday', holiday: null, typicalSteps: saturdays.length });
    expect(v.typical).toBeCloseTo(n / saturdays.length, 10);
    expect(v.text).toMatch(/^expected \d+ \(typical Saturday \d+\)$/);
    expect(v.suggestedUnits).toBe(Math.max(1, Math.min(20, Math.round((5 * v.expected) / v.typical!))));

    const pdf = readFileSync(out);
    expect(Number(pdfInfo(pdf).Pages)).toBeLessThanOrEqual(2);
    const text = pdfText(pdf);
    const flat = text.replace(/\s+/g, ' ');
    for (const s of [
      `Citywide, ${v.text}.`,
      `Suggested units: ${v.suggestedUnits}`,
      'FOR OFFICIAL USE ONLY',
      'Metropolitan Police Department',
      'Forecast window: Sat 29 Sep 2018 00:00 – Sun 30 Sep 2018 00:00 EDT (America/New_York)',
      'PATROL AREAS',
      'RECENT ACTIVITY',
      'MODEL AND TRACK RECORD',
      'the 5 % of the area this model flagged held 38 % of next-day gunfire',
      'last year’s hot spots (counts-365d), the best classical baseline, held 36 %',
      'WHAT THIS FORECAST IS NOT',
      'PROVENANCE',
      report.dataset.hash,
    ])
      expect(flat, s).toContain(s);
    const rows = pdfText(pdf, 1)
      .split('\n')
      .map((l) => /^\s*(\d+)\s+(38\.\d{4}), (-7[67]\.\d{4})\s.*\s(\d{3})\s+(\dD)\s/.exec(l))
      .filter((m) => m !== null);
    expect(rows.map((m) => [Number(m[1]), m[4], m[5]])).toEqual(
      report.areas.map((a) => [a.rank, a.psa, a.district]),
    );

    const img = rasterise(pdf, 1, 50);
    const box = pageOneMapBox(7);
    const ink = countPixels(img, box, (r, g, b) => r < 250 || g < 250 || b < 250);
    expect(ink.hits / ink.total).toBeGreaterThan(0.25);
    expect(countPixels(img, box, (r, g, b) => r > 180 && g < 170 && b < 160).hits).toBeGreaterThan(50);
  });

  it('names the holiday beside the typical weekday: July 4th, 2018 was a Wednesday', async () => {
    const { code, stdout } = await cli([
      'forecast',
      '--db',
      db,
      '--dataset',
      'dc',
      '--model',
      'kde',
      '--at',
      '2018-07-04',
      '--bbox',
      BBOX.join(','),
      '--rows',
      '36',
      '--cols',
      '36',
      '--json',
    ]);
    expect(code).toBe(0);
    const r = JSON.parse(stdout) as {
      risk: number[];
      volume: { expected: number; text: string; holiday: string };
    };
    expect(r.volume.holiday).toBe('July 4th');
    expect(r.volume.text).toMatch(/^expected [\d.]+ \(typical Wednesday [\d.]+; July 4th\)$/);
  });

  it('exports the same forecast as GeoJSON and CSV', async () => {
    const gj = join(dir, 'gj');
    expect(
      (
        await cli([
          'export',
          '--db',
          db,
          '--dataset',
          'dc',
          '--at',
          '2018-09-29',
          '--units',
          '3',
          '--out',
          gj,
        ])
      ).code,
    ).toBe(0);
    const areas = JSON.parse(readFileSync(join(gj, 'patrol-areas.geojson'), 'utf8')) as {
      features: { properties: { rank: number; psa: string } }[];
    };
    expect(areas.features.map((f) => f.properties.rank)).toEqual([1, 2, 3]);
    const csv = join(dir, 'grid.csv');
    expect(
      (
        await cli([
          'export',
          '--db',
          db,
          '--dataset',
          'dc',
          '--at',
          '2018-09-29',
          '--units',
          '3',
          '--out',
          csv,
        ])
      ).code,
    ).toBe(0);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toContain('patrol_area');
    const inAreas = lines.slice(1).filter((l) => /,[123]$/.test(l));
    expect(inAreas.length).toBeGreaterThanOrEqual(3);
    expect(inAreas.length).toBeLessThanOrEqual(12);
  });

  it('refuses bad options with a usage error and a missing dataset with a data error', async () => {
    const base = ['--db', db, '--dataset', 'dc', '--at', '2018-09-29', '--out', join(dir, 'x.pdf')];
    expect((await cli(['brief', ...base, '--units', '0'])).code).toBe(2);
    expect((await cli(['brief', ...base, '--step', 'week'])).code).toBe(2);
    expect((await cli(['brief', ...base.slice(0, 4), '--at', '29/09/2018', '--out', 'x.pdf'])).code).toBe(2);
    expect(
      (await cli(['brief', '--db', db, '--dataset', 'nope', '--at', '2018-09-29', '--out', 'x.pdf'])).code,
    ).toBe(1);
  });
});

describe('shotcast brief on a plain import', () => {
  it('states the track record of a backtest it runs itself (the dates in the PDF), beside counts-365d', async () => {
    const fresh = join(dir, 'plain.db');
    const handle = openDb(fresh);
    try {
      await loadDcSample(handle);
    } finally {
      handle.close();
    }
    const out = join(dir, 'plain.pdf');
    const { code, stdout } = await cli([
      'brief',
      '--db',
      fresh,
      '--dataset',
      'dc',
      '--at',
      '2018-09-29',
      '--out',
      out,
      '--json',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as BriefingReport;
    const skill = report.skill!;
    // The 90 days before the briefing's day, against counts-365d, stored as a run.
    expect(skill.basis.kind).toBe('backtest');
    expect([skill.testFrom, skill.testTo]).toEqual(['2018-07-01', '2018-09-28']);
    expect(skill.baseline?.name).toBe('counts-365d');
    expect(skill.model.hitRate).toBeGreaterThan(0);
    expect(skill.model.pai).toBeGreaterThan(0);
    const text = pdfText(readFileSync(out)).replace(/\s+/g, ' ');
    expect(text).toContain('1 Jul 2018 to 28 Sep 2018');
    expect(text).toContain('counts-365d');
    expect(text).toMatch(/PAI \d/);
    const runs = await cli(['runs', '--db', fresh, '--json']);
    expect((JSON.parse(runs.stdout) as { runs: { testFrom: string; testTo: string }[] }).runs).toMatchObject([
      { testFrom: '2018-07-01', testTo: '2018-09-28' },
    ]);
  });
});
