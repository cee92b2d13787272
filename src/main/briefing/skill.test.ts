import { describe, expect, it } from 'vitest';
import { openDb } from '../db/connection.ts';
import { createDataset } from '../db/queries/ingest.ts';
import { saveRun } from '../db/queries/runs.ts';
import { findSkill, skillFromRun, type StoredEvaluation } from './skill.ts';

const run: StoredEvaluation = {
  testFrom: '2018-01-01',
  testTo: '2018-09-30',
  step: 'day',
  models: [
    { name: 'counts-all', spec: 'counts-all', classical: true, hitRate: { '5': 0.3 }, pai: { '5': 6 } },
    { name: 'counts-Nd', spec: 'counts-365d', classical: true, hitRate: { '5': 0.36 }, pai: { '5': 7.2 } },
    { name: 'kde', spec: 'kde:tau=90,sigma=0.5', classical: true, hitRate: { '5': 0.38 }, pai: { '5': 7.6 } },
    { name: 'convlstm', spec: 'convlstm', classical: false, hitRate: { '5': 0.41 }, pai: { '5': 8.2 } },
  ],
};

describe('skillFromRun', () => {
  it('states the model beside the best other classical baseline, in plain language', () => {
    const s = skillFromRun(run, { spec: 'kde:tau=90,sigma=0.5', name: 'kde' });
    expect(s?.baseline?.name).toBe('counts-365d');
    expect(s?.sentence).toBe(
      'In 2018 testing (1 Jan 2018 to 30 Sep 2018), the 5 % of the area this model flagged held 38 % of next-day gunfire (PAI 7.6); last year’s hot spots (counts-365d), the best classical baseline, held 36 % (PAI 7.2).',
    );
  });
  it('compares a neural model with the best classical one, and returns null for a model the run did not score', () => {
    const s = skillFromRun(run, { spec: 'convlstm', name: 'convlstm' });
    expect(s?.model.hitRate).toBe(0.41);
    expect(s?.baseline?.name).toBe('kde:tau=90,sigma=0.5');
    expect(skillFromRun(run, { spec: 'sepp', name: 'sepp' })).toBeNull();
  });
  it('says a study area of fewer than 20 cells is too small for a record at 5 % of it, instead of "0 %"', () => {
    expect(skillFromRun({ ...run, studyCells: 19 }, { spec: 'convlstm', name: 'convlstm' })?.sentence).toBe(
      'The study area has 19 cells with past detections, too few for a track record at 5 % of the area (it would flag no cell); it will have one as detections spread.',
    );
    expect(skillFromRun({ ...run, studyCells: 1 }, { spec: 'convlstm', name: 'convlstm' })?.sentence).toMatch(
      /^The study area has 1 cell with past detections/,
    );
    // From 20 cells on, one cell is flagged and the record is stated.
    expect(
      skillFromRun({ ...run, studyCells: 20 }, { spec: 'convlstm', name: 'convlstm' })?.sentence,
    ).toMatch(/the 5 % of the area this model flagged held 41 %/);
  });
  it('shows a decimal when whole percents would make two different hit rates look equal', () => {
    const close: StoredEvaluation = {
      ...run,
      models: [
        { name: 'a', spec: 'counts-365d', classical: true, hitRate: { '5': 0.3754 }, pai: { '5': 7.6 } },
        { name: 'kde', spec: 'kde', classical: true, hitRate: { '5': 0.3772 }, pai: { '5': 7.63 } },
      ],
    };
    const s = skillFromRun(close, { spec: 'kde', name: 'kde' });
    expect(s?.sentence).toContain('held 37.7 % of next-day gunfire');
    expect(s?.sentence).toContain('held 37.5 % (PAI 7.6)');
  });
});

describe('findSkill: only runs that ended before the briefing, and never an empty one', () => {
  const grid = {
    rows: 4,
    cols: 4,
    bbox: [38.8, -77.1, 39.0, -76.9] as [number, number, number, number],
    cellMeters: [5000, 4000] as [number, number],
  };
  const db = openDb(':memory:');
  const datasetId = createDataset(db, {
    name: 'dc',
    city: 'Washington DC',
    tz: 'America/New_York',
    format: 'mpd-normalized',
    now: '2024-01-01T00:00:00Z',
  });
  const store = (testFrom: string, testTo: string, hitRate: number, events: number) =>
    saveRun(db, {
      datasetId,
      datasetHash: 'h',
      dataCutoff: testFrom,
      testFrom,
      testTo,
      step: 'day',
      models: ['kde'],
      options: {},
      result: {
        grid,
        test: { from: testFrom, to: testTo, steps: 10, events },
        models: [{ name: 'kde', spec: 'kde', classical: true, hitRate: { '5': hitRate }, pai: { '5': 1 } }],
      },
      seconds: 1,
    });
  // Stored oldest first; findSkill reads the newest first.
  store('2017-01-01', '2017-12-31', 0.3, 900);
  store('2018-01-01', '2018-09-30', 0.4, 700);
  store('2018-06-01', '2018-12-31', 0.5, 600);
  store('2030-01-01', '2030-06-30', 0, 0);
  const model = { spec: 'kde', name: 'kde' };

  it('quotes the newest run whose test window ended before the briefing date', () => {
    expect(findSkill(db, datasetId, 'day', grid, model, '2018-10-02')?.testTo).toBe('2018-09-30');
    // A run ending on the briefing's own day is not "before" it.
    expect(findSkill(db, datasetId, 'day', grid, model, '2018-09-30')?.testTo).toBe('2017-12-31');
    expect(findSkill(db, datasetId, 'day', grid, model, '2017-06-01')).toBeNull();
  });

  it('never quotes a run over a window with no events, even when it ended before the briefing', () => {
    const s = findSkill(db, datasetId, 'day', grid, model, '2031-01-01');
    expect(s?.testTo).toBe('2018-12-31');
    expect(s?.sentence).not.toMatch(/2030/);
  });
});
