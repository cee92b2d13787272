import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../db/connection.ts';
import { getModel, insertModel, listModels } from '../db/queries/models.ts';
import { deleteModel } from './models.ts';

describe('deleteModel', () => {
  it('removes the row and its files, keeps a fine-tune of it (without a parent) and a file another model names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shotcast-delete-'));
    const db = openDb(join(dir, 'm.sqlite'));
    try {
      db.prepare(
        `INSERT INTO datasets (id, name, city, tz, format, created_at, updated_at) VALUES (1, 'dc', 'DC', 'America/New_York', 'mpd', 'x', 'x')`,
      ).run();
      const file = (name: string) => {
        const p = join(dir, name);
        writeFileSync(p, name);
        return p;
      };
      const base = {
        datasetId: 1,
        name: 'convlstm',
        preset: 'default',
        params: {},
        datasetHash: 'abc',
        dataCutoff: '2018-01-01',
        metrics: {},
        onnxSha256: 'f'.repeat(64),
        parentId: null,
      };
      const a = insertModel(db, { ...base, onnxPath: file('a.onnx'), checkpointPath: file('a.onnx.ckpt') });
      const b = insertModel(db, { ...base, onnxPath: file('b.onnx'), checkpointPath: null, parentId: a });
      const shared = insertModel(db, { ...base, onnxPath: join(dir, 'b.onnx'), checkpointPath: null });

      expect(await deleteModel({ db }, a)).toEqual({
        deleted: true,
        filesRemoved: [join(dir, 'a.onnx'), join(dir, 'a.onnx.ckpt')],
      });
      expect(existsSync(join(dir, 'a.onnx'))).toBe(false);
      expect(getModel(db, a)).toBeUndefined();
      expect(getModel(db, b)?.parentId).toBeNull();

      // b's file is also shared's: the row goes, the file stays for shared.
      expect(await deleteModel({ db }, b)).toEqual({ deleted: true, filesRemoved: [] });
      expect(existsSync(join(dir, 'b.onnx'))).toBe(true);
      expect(listModels(db, 1).map((m) => m.id)).toEqual([shared]);
      await expect(deleteModel({ db }, a)).rejects.toThrow(`no registered model ${a}`);
    } finally {
      db.close();
    }
  });
});
