/**
 * Evaluation of untyped alerts through the CLI: Oakland's CAD export (no type column) scores, a window
 * with nothing in it is refused without storing a run, and stripping the type column from a typed
 * file leaves the risk models' scores as they were.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../main/db/connection.ts';
import { pdfText } from '../../main/briefing/testing/poppler.ts';
import { REPO_ROOT } from '../../../test/paths.ts';
import { runCliCaptured } from '../testing.ts';

/** Real public files the tests read (test/data/README.md). */
const TEST_DATA = resolve(REPO_ROOT, 'test/data');
const OAKLAND_GZ = join(TEST_DATA, 'oakland/OakShots_latlong.csv.gz');
const DC_SAMPLE = resolve(REPO_ROOT, 'resources/data/dc_mpd_2014-2018_normalized.csv');

const cli = runCliCaptured;

const dir = mkdtempSync(join(tmpdir(), 'shotcast-cli-evaluate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const runCount = (db: string): number => {
  const h = openDb(db, { readonly: true });
  try {
    return h.prepare(`SELECT COUNT(*) FROM evaluation_runs`).pluck().get() as number;
  } finally {
    h.close();
  }
};

type Json = {
  test: { events: number; eventsOutsideStudy: number };
  models: { name: string; hitRate: Record<string, number>; pai: Record<string, number> }[];
  oracle: { hitRate: Record<string, number> };
  runId: number;
};

describe('shotcast evaluate on Oakland (every event of type unknown)', () => {
  const db = join(dir, 'oak.db');
  // Decompressed here, so the test does not depend on which importer reads gzip.
  const file = join(dir, 'OakShots_latlong.csv');
  writeFileSync(file, gunzipSync(readFileSync(OAKLAND_GZ)));
  const models = 'counts-365d,kde:tau=90,sigma=0.5';

  it('imports every row as unknown and scores a non-zero hit rate', async () => {
    const imp = await cli(['import', file, '--db', db, '--dataset', 'oakland', '--json']);
    expect(imp.code).toBe(0);
    const report = JSON.parse(imp.stdout);
    expect(report.imported).toBeGreaterThan(17_000);
    expect(report.byType).toMatchObject({ single: 0, multiple: 0, gunshot_or_firecracker: 0 });
    const args = ['evaluate', '--db', db, '--dataset', 'oakland', '--rows', '36', '--cols', '36'];
    const r = await cli([
      ...args,
      '--step',
      'day',
      '--models',
      models,
      '--test-from',
      '2013-01-01',
      '--test-to',
      '2013-06-30',
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Json;
    // Events in the test period, counted straight from the database (not through the grid code).
    const h = openDb(db, { readonly: true });
    const inPeriod = h
      .prepare(
        `SELECT COUNT(*) FROM events_local WHERE duplicate_of IS NULL AND local_time >= '2013-01-01' AND local_time < '2013-07-01'`,
      )
      .pluck()
      .get() as number;
    h.close();
    expect(inPeriod).toBeGreaterThan(500);
    // Every one of them is scored: in a study cell, or counted as outside the study area (a few fall
    // outside the grid, whose extent is the data's before the test period).
    const scored = out.test.events + out.test.eventsOutsideStudy;
    expect(scored).toBeLessThanOrEqual(inPeriod);
    expect(scored).toBeGreaterThan(0.99 * inPeriod);
    expect(out.test.events).toBeGreaterThan(0.8 * inPeriod);
    for (const m of out.models) {
      expect(m.hitRate['1']).toBeGreaterThan(0.02);
      expect(m.hitRate['5']).toBeGreaterThan(0.1);
      expect(m.hitRate['5']).toBeLessThanOrEqual(out.oracle.hitRate['5']);
      expect(m.pai['5']).toBeGreaterThan(1);
    }
    expect(runCount(db)).toBe(1);
  }, 120_000);

  it('refuses a window with no events in one line, exit 1, and stores no run', async () => {
    const r = await cli([
      'evaluate',
      '--db',
      db,
      '--dataset',
      'oakland',
      '--rows',
      '36',
      '--cols',
      '36',
      '--step',
      'day',
      '--models',
      models,
      '--test-from',
      '2014-01-01',
      '--test-to',
      '2014-03-31',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/no events in the test period 2014-01-01\.\.2014-03-31/);
    expect(r.stderr).not.toMatch(/ at .*\.ts:\d+/);
    expect(runCount(db)).toBe(1);
  }, 60_000);
});

describe('stripping the type column from the DC sample', () => {
  const lines = readFileSync(DC_SAMPLE, 'utf8').split(/\r?\n/).filter(Boolean);
  const header = lines[0].split(',');
  const iType = header.indexOf('TYPE');
  const rows = lines.slice(1).map((l) => l.split(','));
  const key3 = (c: string[]) => [c[2], c[4], c[5]].join('|');
  const key4 = (c: string[]) => [c[2], c[4], c[5], c[iType]].join('|');
  // Rows that only the type told apart from an earlier one (same second and place, another type):
  // without the column the duplicate rule merges them. Computed here from the text, independently.
  const seen3 = new Set<string>();
  const seen4 = new Set<string>();
  const mergedWithoutType = new Set<number>();
  rows.forEach((c, i) => {
    if (seen3.has(key3(c)) && !seen4.has(key4(c))) mergedWithoutType.add(i);
    seen3.add(key3(c));
    seen4.add(key4(c));
  });
  const write = (name: string, keep: (i: number) => boolean, dropType: boolean): string => {
    const cut = (c: string[]) => (dropType ? c.filter((_, k) => k !== iType) : c).join(',');
    const text = [cut(header), ...rows.filter((_, i) => keep(i)).map(cut)].join('\n') + '\n';
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const db = join(dir, 'dc.db');
  const evaluate = async (dataset: string): Promise<Json> => {
    const r = await cli([
      'evaluate',
      '--db',
      db,
      '--dataset',
      dataset,
      '--rows',
      '36',
      '--cols',
      '36',
      '--step',
      'day',
      '--models',
      'counts-365d,kde:tau=90,sigma=0.5',
      '--test-from',
      '2017-01-01',
      '--test-to',
      '2017-06-30',
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as Json;
  };
  const importAs = async (file: string, dataset: string) => {
    const r = await cli([
      'import',
      file,
      '--db',
      db,
      '--dataset',
      dataset,
      '--tz',
      'America/New_York',
      '--json',
    ]);
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as { imported: number; duplicates: number; byType: Record<string, number> };
  };

  it('leaves the hit rates of counts-365d and kde unchanged, and offers no type forecast', async () => {
    expect(mergedWithoutType.size).toBeGreaterThan(0);
    const typed = await importAs(DC_SAMPLE, 'typed');
    const stripped = await importAs(
      write('untyped.csv', () => true, true),
      'untyped',
    );
    // The same rows typed, less those the untyped import merges: the same distinct events as `untyped`.
    const reduced = await importAs(
      write('typed-reduced.csv', (i) => !mergedWithoutType.has(i), false),
      'typed-reduced',
    );
    expect(typed.byType.unknown).toBe(0);
    expect(stripped.byType).toMatchObject({ single: 0, multiple: 0, gunshot_or_firecracker: 0 });
    expect(stripped.duplicates - typed.duplicates).toBe(mergedWithoutType.size);
    expect(reduced.duplicates).toBe(typed.duplicates);

    const a = await evaluate('untyped');
    const b = await evaluate('typed-reduced');
    const full = await evaluate('typed');
    expect(a.test.events).toBeGreaterThan(1000);
    expect(a.test).toEqual(b.test);
    a.models.forEach((m, i) => {
      expect(m.name).toBe(b.models[i].name);
      expect(m.hitRate).toEqual(b.models[i].hitRate);
      expect(m.pai).toEqual(b.models[i].pai);
    });
    // Against the full typed file only the merged pairs differ: at most one event each.
    const merged2017 = [...mergedWithoutType].filter((i) => rows[i][2].startsWith('2017-0')).length;
    expect(full.test.events - a.test.events).toBeGreaterThanOrEqual(0);
    expect(full.test.events - a.test.events).toBeLessThanOrEqual(merged2017);

    // No type forecast for the untyped dataset: the forecast says so instead of a mix.
    const f = await cli([
      'forecast',
      '--db',
      db,
      '--dataset',
      'untyped',
      '--at',
      '2017-07-01',
      '--rows',
      '36',
      '--cols',
      '36',
      '--top',
      '5',
      '--json',
    ]);
    expect(f.code).toBe(0);
    const fj = JSON.parse(f.stdout) as {
      typeNote?: string;
      top: {
        types?: unknown;
        risk: number;
        place: { district: string; psa: string; neighbourhood: string };
      }[];
    };
    expect(fj.typeNote).toBe('this dataset has no gunshot types; the type mix is not forecast');
    expect(fj.top).toHaveLength(5);
    expect(fj.top.every((t) => t.types === undefined && t.risk > 0)).toBe(true);
    // Each top cell is named as the briefing names places: DC's district, and a PSA of that district
    // (MPD numbers a PSA after its district: PSA 7xx lies in 7D).
    for (const { place } of fj.top) {
      expect(place.district).toMatch(/^[1-7]D$/);
      expect(place.psa[0]).toBe(place.district[0]);
    }
    const typedForecast = await cli([
      'forecast',
      '--db',
      db,
      '--dataset',
      'typed',
      '--at',
      '2017-07-01',
      '--rows',
      '36',
      '--cols',
      '36',
      '--json',
    ]);
    expect(JSON.parse(typedForecast.stdout).typeNote).toBeUndefined();

    // The briefing says it in words, on the command line and in the PDF, instead of a type chart.
    const pdfPath = join(dir, 'untyped.pdf');
    const brief = await cli([
      'brief',
      '--db',
      db,
      '--dataset',
      'untyped',
      '--at',
      '2017-07-01',
      '--rows',
      '36',
      '--cols',
      '36',
      '--out',
      pdfPath,
    ]);
    expect(brief.code).toBe(0);
    expect(brief.stdout).toContain('this dataset has no gunshot types; the type mix is not forecast');
    const text = pdfText(readFileSync(pdfPath), 2).replace(/\s+/g, ' ');
    expect(text).toContain('This dataset has no gunshot types; the type mix is not forecast.');
    expect(text).not.toContain('Single gunshot');
  }, 240_000);
});
