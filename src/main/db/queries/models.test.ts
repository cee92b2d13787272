import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { openDb } from '../connection.ts';
import {
  datasetHash,
  getModel,
  insertModel,
  insertTrial,
  latestModel,
  listModels,
  listTrials,
} from './models.ts';

function freshDb() {
  const db = openDb(join(mkdtempSync(join(tmpdir(), 'shotcast-models-')), 'm.sqlite'));
  db.prepare(
    `INSERT INTO datasets (id, name, city, tz, format, created_at, updated_at) VALUES (1, 'dc', 'DC', 'America/New_York', 'mpd', 'x', 'x')`,
  ).run();
  return db;
}

describe('model registry', () => {
  it('stores models with JSON params and metrics, parents, and finds the latest', () => {
    const db = freshDb();
    const base = {
      datasetId: 1,
      name: 'convlstm',
      preset: 'default',
      params: { hidden: 16, lr: 0.001 },
      datasetHash: 'abc',
      dataCutoff: '2018-01-01',
      metrics: { valHitRate5: 0.37 },
      onnxPath: '/tmp/a.onnx',
      onnxSha256: 'f'.repeat(64),
      checkpointPath: null,
      parentId: null,
    };
    const a = insertModel(db, base);
    const b = insertModel(db, {
      ...base,
      dataCutoff: '2018-02-01',
      parentId: a,
      metrics: { valHitRate5: 0.38 },
    });
    expect(getModel(db, a)?.params).toEqual({ hidden: 16, lr: 0.001 });
    expect(latestModel(db, 1)?.id).toBe(b);
    expect(latestModel(db, 1)?.parentId).toBe(a);
    expect(listModels(db, 1).map((m) => m.dataCutoff)).toEqual(['2018-01-01', '2018-02-01']);
    expect(latestModel(db, 2)).toBeUndefined();
    db.close();
  });

  it('stores tuning trials per study, including failed ones', () => {
    const db = freshDb();
    insertTrial(db, {
      study: 's',
      trial: 1,
      datasetId: 1,
      params: { t: 7 },
      objective: 0.3,
      seconds: 2,
      status: 'ok',
    });
    insertTrial(db, {
      study: 's',
      trial: 0,
      datasetId: 1,
      params: { t: 3 },
      objective: null,
      seconds: 1,
      status: 'failed',
    });
    insertTrial(db, {
      study: 'other',
      trial: 0,
      datasetId: 1,
      params: {},
      objective: 0.1,
      seconds: 1,
      status: 'ok',
    });
    const trials = listTrials(db, 's');
    expect(trials.map((t) => [t.trial, t.objective, t.status])).toEqual([
      [0, null, 'failed'],
      [1, 0.3, 'ok'],
    ]);
    expect(() =>
      insertTrial(db, {
        study: 's',
        trial: 1,
        datasetId: 1,
        params: {},
        objective: 0,
        seconds: 0,
        status: 'ok',
      }),
    ).toThrow(/UNIQUE/);
    db.close();
  });

  it('hashes a dataset from its imports in order', () => {
    const db = freshDb();
    const ins = db.prepare(
      `INSERT INTO imports (dataset_id, source_file, size, sha256, format, imported_at, rows, imported, duplicates, rejected)
       VALUES (1, 'f', 1, ?, 'mpd', 'x', 1, 1, 0, 0)`,
    );
    ins.run('aa');
    ins.run('bb');
    expect(datasetHash(db, 1)).toBe(createHash('sha256').update('aa\nbb\n').digest('hex'));
    db.close();
  });
});
