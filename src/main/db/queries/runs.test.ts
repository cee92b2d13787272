import { describe, expect, it } from 'vitest';
import { openDb } from '../connection.ts';
import { getRun, listRuns, saveRun } from './runs.ts';
import { insertDataset } from '../../evaluate/testing/fixtures.ts';

describe('stored evaluation runs (migration 2)', () => {
  it('creates the table on a fresh database and round-trips runs, newest first', () => {
    const db = openDb(':memory:');
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'evaluation_runs'`).pluck().get()).toBe(
      'evaluation_runs',
    );
    const a = insertDataset(db, 'a', 'UTC').datasetId;
    const b = insertDataset(db, 'b', 'UTC').datasetId;
    const base = {
      datasetHash: 'h',
      dataCutoff: '2018-01-01T00:00:00-05:00',
      testFrom: '2018-01-01',
      testTo: '2018-09-30',
      step: 'day',
      options: { cadence: 'month' },
      seconds: 1.5,
    };
    const r1 = saveRun(db, { ...base, datasetId: a, models: ['kde'], result: { models: [{ name: 'kde' }] } });
    const r2 = saveRun(db, { ...base, datasetId: b, models: ['sepp', 'kde'], result: { x: 1 } });
    expect(listRuns(db).map((r) => r.id)).toEqual([r2, r1]);
    expect(listRuns(db, 'a').map((r) => [r.id, r.dataset, r.models])).toEqual([[r1, 'a', ['kde']]]);
    expect(getRun(db, r1)).toMatchObject({
      options: { cadence: 'month' },
      result: { models: [{ name: 'kde' }] },
    });
    expect(getRun(db, 999)).toBeUndefined();
    // Runs go with their dataset.
    db.prepare(`DELETE FROM datasets WHERE id = ?`).run(a);
    expect(listRuns(db).map((r) => r.id)).toEqual([r2]);
  });
});
