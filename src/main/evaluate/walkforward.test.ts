import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../db/connection.ts';
import { registerForecaster } from '../forecast/registry.ts';
import type { HistoryView } from '../forecast/types.ts';
import type { Progress } from '../../shared/types.ts';
import { mulberry32 } from '../../shared/random.ts';
import { walkForwardInWorker } from '../app/evaluate.ts';
import { registerStepScorer } from './scorers.ts';
import { insertEvents, type FixtureEvent } from './testing/fixtures.ts';
import { runEvaluation, type EvaluationOptions } from './walkforward.ts';
import type { EventStore } from '../history/events.ts';
// Every forecaster and step scorer, registered as the app's composition root does.
import '../app/wiring.ts';

const DAY = 86_400_000;
const ROWS = 20;
const COLS = 20;
const T0 = Date.UTC(2020, 0, 1);

/** Events in UTC on a 20×20 grid over [0,0]..[20,20], placed at cell centres, heavier in a few cells. */
function synthetic(): FixtureEvent[] {
  const rand = mulberry32(99);
  const out: FixtureEvent[] = [];
  for (let d = 0; d < 91; d++) {
    const n = Math.floor(rand() * 12);
    for (let i = 0; i < n; i++) {
      const hot = rand() < 0.5;
      const cell = hot ? [21, 22, 45, 210, 211, 399][Math.floor(rand() * 6)] : Math.floor(rand() * 300);
      const row = Math.floor(cell / COLS);
      const col = cell % COLS;
      out.push({
        utcMs: T0 + d * DAY + Math.floor(rand() * DAY),
        lat: ROWS - row - 0.5,
        lon: col + 0.5,
        type: rand() < 0.5 ? 'single' : 'multiple',
      });
    }
  }
  out.sort((a, b) => a.utcMs - b.utcMs);
  // One cross-network duplicate, which must not count anywhere.
  const last = out.length - 1;
  out.push({ ...out[last], duplicateOf: last });
  return out;
}

const EVENTS = synthetic();
const dir = mkdtempSync(join(tmpdir(), 'shotcast-wf-'));
const dbPath = join(dir, 'wf.db');
{
  const db = openDb(dbPath);
  insertEvents(db, 'syn', 'UTC', EVENTS);
  db.close();
}
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base: EvaluationOptions = {
  dataset: 'syn',
  grid: { bbox: [0, 0, 20, 20], rows: ROWS, cols: COLS },
  step: { unit: 'day' },
  models: 'persistence,counts-all',
  testFrom: '2020-03-01',
  testTo: '2020-03-31',
};

/** Daily counts per cell, computed directly from the fixture events (independent of the grid code). */
function directCounts(): number[][] {
  const days: number[][] = Array.from({ length: 91 }, () => new Array(ROWS * COLS).fill(0));
  EVENTS.forEach((e) => {
    if (e.duplicateOf !== undefined) return;
    const d = Math.floor((e.utcMs - T0) / DAY);
    const row = Math.floor(ROWS - e.lat);
    const col = Math.floor(e.lon);
    days[d][row * COLS + col]++;
  });
  return days;
}

const WHOLE_GRID = {
  type: 'Polygon',
  coordinates: [
    [
      [0, 0],
      [20, 0],
      [20, 20],
      [0, 20],
      [0, 0],
    ],
  ],
};

describe('walk-forward evaluation', () => {
  it('scores persistence exactly as a direct computation does', async () => {
    const db = openDb(dbPath, { readonly: true });
    const { result: r } = await runEvaluation(db, base);
    db.close();
    const days = directCounts();
    const first = 31 + 29; // 2020-03-01
    const study = [...Array(ROWS * COLS).keys()].filter((c) => days.slice(0, first).some((d) => d[c] > 0));
    expect(r.studyCells).toBe(study.length);
    let events = 0;
    const hits: Record<number, number> = { 1: 0, 2: 0, 5: 0, 10: 0 };
    for (let d = first; d < 91; d++) {
      const prev = days[d - 1];
      const order = [...study].sort((a, b) => prev[b] - prev[a] || a - b);
      for (const c of study) events += days[d][c];
      for (const cov of [1, 2, 5, 10]) {
        const k = Math.floor((study.length * cov) / 100);
        for (let i = 0; i < k; i++) hits[cov] += days[d][order[i]];
      }
    }
    expect(r.test.steps).toBe(31);
    expect(r.test.events).toBe(events);
    const p = r.models.find((m) => m.name === 'persistence')!;
    for (const cov of [1, 2, 5, 10]) expect(p.hitRate[cov]).toBeCloseTo(hits[cov] / events, 12);
    expect(r.grid).toEqual({ rows: 20, cols: 20, bbox: [0, 0, 20, 20], cellMeters: r.grid.cellMeters });
    // Best classical at 1 % and 5 % is one of the two; its own difference is exactly 0.
    for (const cov of ['1', '5']) {
      const best = p.vsBest![cov].best;
      expect(r.models.find((m) => m.name === best)!.vsBest![cov]).toMatchObject({ diff: 0, lo: 0, hi: 0 });
      expect(p.vsBest![cov].lo).toBeLessThanOrEqual(p.vsBest![cov].diff);
    }
  });

  it('scores level, calibration and types as a direct computation does', async () => {
    // A ranking without a level (a 1 in every cell) is scaled to the trailing year's mean count per
    // step in the study area; a typed model forecasting 1/3 per type scores exactly ln 3 per event.
    registerForecaster('test-ranked', () => ({
      name: 'test-ranked',
      params: {},
      level: false,
      fit() {},
      predict: (h) => new Float32Array(h.grid.rows * h.grid.cols).fill(1),
    }));
    registerForecaster('test-typed', () => ({
      name: 'test-typed',
      params: {},
      fit() {},
      predict: (h) => new Float32Array(h.grid.rows * h.grid.cols).fill(0.01),
      predictWithTypes: (h) => {
        const cells = h.grid.rows * h.grid.cols;
        return {
          rates: new Float32Array(cells).fill(0.01),
          typeProbs: new Float32Array(h.types.length * cells).fill(1 / 3),
        };
      },
      report: () => ({ fitted: { x: 1 }, notes: ['a note'] }),
    }));
    const db = openDb(dbPath, { readonly: true });
    const { result: r } = await runEvaluation(db, { ...base, models: 'persistence,test-ranked,test-typed' });
    db.close();
    const days = directCounts();
    const first = 60;
    const study = [...Array(ROWS * COLS).keys()].filter((c) => days.slice(0, first).some((d) => d[c] > 0));
    const dev = (y: number, l: number) => {
      const m = Math.max(l, 1e-6);
      return 2 * ((y > 0 ? y * Math.log(y / m) : 0) - (y - m));
    };
    let cellDev = 0;
    let totDev = 0;
    let mae = 0;
    let rankedDev = 0;
    let rankedMae = 0;
    for (let d = first; d < 91; d++) {
      let y = 0;
      let l = 0;
      for (const c of study) {
        cellDev += dev(days[d][c], days[d - 1][c]);
        y += days[d][c];
        l += days[d - 1][c];
      }
      totDev += dev(y, l);
      mae += Math.abs(y - l);
      // Trailing year = all history here (fewer than 365 days).
      let past = 0;
      for (let e = 0; e < d; e++) for (const c of study) past += days[e][c];
      const level = past / d;
      for (const c of study) rankedDev += dev(days[d][c], level / study.length);
      rankedMae += Math.abs(y - level);
    }
    const n = 31 * study.length;
    const p = r.models[0].probabilistic;
    expect(p.deviance).toBeCloseTo(cellDev / n, 9);
    expect(p.totalDeviance).toBeCloseTo(totDev / 31, 9);
    expect(p.totalMae).toBeCloseTo(mae / 31, 9);
    expect(p.typeLogLoss).toBeNull();
    expect(p.reliability.reduce((a, b) => a + b.cellSteps, 0)).toBe(n);
    const ranked = r.models[1];
    expect(ranked.scaledToTrailingYear).toBe(true);
    expect(ranked.probabilistic.deviance).toBeCloseTo(rankedDev / n, 5);
    expect(ranked.probabilistic.totalMae).toBeCloseTo(rankedMae / 31, 4);
    const typed = r.models[2];
    expect(typed.probabilistic.typeLogLoss).toBeCloseTo(Math.log(3), 6);
    expect(typed.probabilistic.typedEvents).toBe(r.test.events);
    expect(typed.fitted).toEqual({ x: 1 });
    expect(typed.notes).toEqual(['a note']);
    // Persistence is the only classical model, so the best; no classical model gives types.
    expect(r.models[0].vsBestScores!.deviance).toMatchObject({ diff: 0, lo: 0, hi: 0, best: 'persistence' });
    expect(typed.vsBestScores!.typeLogLoss).toBeUndefined();
  });

  it('gives each probabilistic score an interval against the best classical model', async () => {
    const db = openDb(dbPath, { readonly: true });
    const { result: r } = await runEvaluation(db, { ...base, models: 'counts-all,persistence,kde' });
    db.close();
    const best = [...r.models].sort((a, b) => a.probabilistic.deviance - b.probabilistic.deviance)[0];
    for (const m of r.models) {
      const iv = m.vsBestScores!.deviance!;
      expect(iv.best).toBe(best.name);
      expect(iv.diff).toBeCloseTo(m.probabilistic.deviance - best.probabilistic.deviance, 9);
      expect(iv.lo).toBeLessThanOrEqual(iv.diff + 1e-12);
      expect(iv.hi).toBeGreaterThanOrEqual(iv.diff - 1e-12);
      expect(m.vsBestScores!.typeLogLoss).toBeUndefined();
    }
  });

  it('never shows a forecaster the step it forecasts or anything later, even through the buffer', async () => {
    const seen: { t: number; leaked: number; offset: number; steps: number }[] = [];
    registerForecaster('test-spy', () => ({
      name: 'test-spy',
      params: {},
      fit() {},
      predict(h: HistoryView) {
        // The view refuses its own step and later ones, and everything reachable from its store
        // beyond its own end must be empty: the later steps' events are not in it yet.
        expect(() => h.events.total(h.steps)).toThrow(RangeError);
        expect(() => h.events.window(0, h.steps + 1)).toThrow(RangeError);
        const store = (h.events as unknown as { store: EventStore }).store;
        const end = h.offset + h.steps;
        let leaked = store.steps - end;
        for (let i = store.totalStart[end]; i < store.totalN.length; i++) leaked += store.totalN[i];
        for (let i = store.typedStart[end]; i < store.typedN.length; i++) leaked += store.typedN[i];
        seen.push({ t: h.offset + h.steps, leaked, offset: h.offset, steps: h.steps });
        return new Float32Array(h.grid.rows * h.grid.cols);
      },
    }));
    const db = openDb(dbPath, { readonly: true });
    await runEvaluation(db, { ...base, models: 'test-spy' });
    await runEvaluation(db, { ...base, models: 'test-spy', window: 'sliding', windowSteps: 7 });
    db.close();
    expect(seen.length).toBe(62);
    expect(seen.every((s) => s.leaked === 0)).toBe(true);
    expect(seen[0].t).toBe(60);
    expect(seen[30].t).toBe(90);
    expect(seen.slice(31).every((s) => s.steps === 7 && s.offset === s.t - 7)).toBe(true);
  });

  it('refits at the cadence and at each fold start, and reports the folds', async () => {
    const fits: Record<string, number> = {};
    registerForecaster('test-fits', (p) => ({
      name: 'test-fits',
      params: { tag: p.tag },
      fit() {
        fits[p.tag] = (fits[p.tag] ?? 0) + 1;
      },
      predict: (h) => new Float32Array(h.grid.rows * h.grid.cols),
    }));
    const db = openDb(dbPath, { readonly: true });
    const run = (tag: string, o: Partial<EvaluationOptions>) =>
      runEvaluation(db, { ...base, testTo: '2020-03-31', models: `test-fits:tag=${tag}`, ...o });
    await run('month', { cadence: 'month' });
    await run('week', { cadence: 'week' });
    await run('step', { cadence: 'step' });
    const folded = await run('folds', { cadence: 'month', folds: 3 });
    db.close();
    // March 2020 starts on a Sunday: weeks of Feb 24, Mar 2, 9, 16, 23, 30.
    expect(fits).toEqual({ month: 1, week: 6, step: 31, folds: 3 });
    const f = folded.result.models[0].folds!;
    expect(f.map((x) => x.steps)).toEqual([11, 10, 10]);
    expect(f[0].from).toBe('2020-03-01T00:00:00+00:00');
    expect(f[2].to).toBe('2020-04-01T00:00:00+00:00');
  });

  it('gives identical numbers on a second run, and runs extra step scorers', async () => {
    registerStepScorer('test-count', () => {
      let n = 0;
      return { observe: () => void n++, result: () => ({ steps: n }) };
    });
    const db = openDb(dbPath, { readonly: true });
    const o = { ...base, models: 'counts-all,kde:tau=10,sigma=1,sepp', scorers: ['test-count'] };
    const a = (await runEvaluation(db, o)).result;
    const b = (await runEvaluation(db, o)).result;
    db.close();
    const strip = (r: typeof a) => ({ ...r, models: r.models.map((m) => ({ ...m, seconds: 0 })) });
    expect(strip(a)).toEqual(strip(b));
    expect(a.models[0].scorers).toEqual({ 'test-count': { steps: 31 } });
  });

  it('leaves out fireworks steps from scoring when asked', async () => {
    const db = openDb(dbPath, { readonly: true });
    // The whole grid as study area: one day of history would leave most test events outside it.
    const o = { ...base, testFrom: '2020-01-02', testTo: '2020-01-05', studyArea: WHOLE_GRID };
    const keep = (await runEvaluation(db, o)).result;
    const drop = (await runEvaluation(db, { ...o, excludeFireworks: true })).result;
    db.close();
    const days = directCounts();
    expect(keep.test.steps).toBe(4);
    // 2020-01-02 is in the Dec 29–Jan 2 window.
    expect(drop.test.steps).toBe(3);
    expect(drop.test.excludedSteps).toBe(1);
    const inStudy = (d: number) => days[d].reduce((a, v) => a + v, 0);
    expect(keep.test.events + keep.test.eventsOutsideStudy).toBe(
      inStudy(1) + inStudy(2) + inStudy(3) + inStudy(4),
    );
    expect(drop.test.events + drop.test.eventsOutsideStudy).toBe(inStudy(2) + inStudy(3) + inStudy(4));
  });

  it('uses a polygon study area when given one', async () => {
    // The north-west quarter of the grid: cells of rows 0..9, cols 0..9 have their centres inside.
    const quarter = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 10],
          [10, 10],
          [10, 20],
          [0, 20],
          [0, 10],
        ],
      ],
    };
    const db = openDb(dbPath, { readonly: true });
    const r = (await runEvaluation(db, { ...base, studyArea: quarter })).result;
    db.close();
    expect(r.studyCells).toBe(100);
    expect(r.options.studyArea).toBe('polygon');
    const days = directCounts();
    let inside = 0;
    for (let d = 60; d < 91; d++)
      for (let c = 0; c < 400; c++) if (c < 200 && c % 20 < 10) inside += days[d][c];
    expect(r.test.events).toBe(inside);
  });

  it('counts untyped events like typed ones: the same scores with every type made unknown', async () => {
    const db = openDb(dbPath);
    insertEvents(
      db,
      'untyped',
      'UTC',
      EVENTS.map((e) => ({ ...e, type: 'unknown' as const })),
    );
    // Half typed, half not: the models see every event either way.
    insertEvents(
      db,
      'mixed',
      'UTC',
      EVENTS.map((e, i) => ({ ...e, type: i % 2 ? ('unknown' as const) : e.type })),
    );
    const o = { ...base, models: 'persistence,counts-all,kde:tau=10,sigma=1,sepp' };
    const typed = (await runEvaluation(db, o)).result;
    const untyped = (await runEvaluation(db, { ...o, dataset: 'untyped' })).result;
    const mixed = (await runEvaluation(db, { ...o, dataset: 'mixed' })).result;
    db.close();
    const days = directCounts();
    let events = 0;
    for (let d = 60; d < 91; d++) events += days[d].reduce((a, v) => a + v, 0);
    expect(typed.test.events + typed.test.eventsOutsideStudy).toBe(events);
    for (const r of [untyped, mixed]) {
      expect(r.test).toEqual(typed.test);
      expect(r.oracle).toEqual(typed.oracle);
      r.models.forEach((m, i) => {
        expect(m.hitRate).toEqual(typed.models[i].hitRate);
        expect(m.pai).toEqual(typed.models[i].pai);
        expect(m.brier).toBe(typed.models[i].brier);
      });
    }
    expect(untyped.models[1].hitRate['5']).toBeGreaterThan(0);
  });

  it('refuses a test period with no event to score, saying why', async () => {
    const db = openDb(dbPath, { readonly: true });
    // After the data ends (2020-03-31).
    await expect(
      runEvaluation(db, { ...base, testFrom: '2020-04-05', testTo: '2020-04-10' }),
    ).rejects.toThrow(
      /^dataset 'syn' has no events in the test period 2020-04-05\.\.2020-04-10: nothing to score$/,
    );
    // A grid far from every event, scored on the whole of it.
    const far = {
      ...base,
      grid: { bbox: [40, 40, 60, 60] as [number, number, number, number], rows: ROWS, cols: COLS },
      studyArea: {
        type: 'Polygon',
        coordinates: [
          [
            [40, 40],
            [60, 40],
            [60, 60],
            [40, 60],
            [40, 40],
          ],
        ],
      },
    };
    await expect(runEvaluation(db, far)).rejects.toThrow(
      /lie outside the grid's bounding box \[40, 40, 60, 60\]/,
    );
    // Every test event in a cell outside a polygon study area (the top-right corner cell has none).
    const corner = {
      type: 'Polygon',
      coordinates: [
        [
          [19.2, 19.2],
          [20, 19.2],
          [20, 20],
          [19.2, 20],
          [19.2, 19.2],
        ],
      ],
    };
    const days = directCounts();
    expect(days.slice(60).reduce((a, d) => a + d[19], 0)).toBe(0);
    await expect(runEvaluation(db, { ...base, studyArea: corner })).rejects.toThrow(
      /^all \d+ events of the test period 2020-03-01\.\.2020-03-31 lie outside the --study-area polygon/,
    );
    db.close();
  });

  it('runs in a worker thread with progress events and returns the forecasts', async () => {
    const progress: Progress[] = [];
    const out = await walkForwardInWorker(
      dbPath,
      { ...base, keepForecasts: true },
      { progress: (p) => progress.push(p) },
    );
    expect(progress.length).toBeGreaterThan(2);
    expect(progress[progress.length - 1]).toMatchObject({ job: 'evaluate', done: 62, total: 62 });
    expect(out.forecasts!.steps.length).toBe(31);
    expect(out.forecasts!.byModel[0].risk.length).toBe(31 * 400);
    const days = directCounts();
    // Persistence's forecast for 2020-03-01 is 2020-02-29's counts.
    expect(Array.from(out.forecasts!.byModel[0].risk.subarray(0, 400))).toEqual(days[59]);
    await expect(walkForwardInWorker(dbPath, { ...base, models: 'nosuch' })).rejects.toThrow(/unknown model/);
    // A refusal crosses the thread as a DataError (exit code 1).
    await expect(
      walkForwardInWorker(dbPath, { ...base, testFrom: '2020-04-05', testTo: '2020-04-10' }),
    ).rejects.toMatchObject({ name: 'DataError', exitCode: 1 });
  });
});
