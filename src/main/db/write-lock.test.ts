import { describe, expect, it } from 'vitest';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUSY_TIMEOUT_MS, JOURNAL_SIZE_LIMIT, openDb, openReader, type ReadonlyDb } from './connection.ts';
import { holdWriteLock } from './testing.ts';
import { beginImmediate, checkpointTruncate, writeTransaction } from './write-lock.ts';
import { importFile } from '../ingest/import.ts';

function tempPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'shotcast-lock-')), 'a.sqlite');
}

describe('connections', () => {
  it('wait at least 30 s for a lock and bound the -wal file', () => {
    const path = tempPath();
    const db = openDb(path);
    const reader = openReader(path);
    for (const c of [db, reader]) {
      expect(c.pragma('busy_timeout', { simple: true })).toBeGreaterThanOrEqual(30_000);
      expect(c.pragma('journal_size_limit', { simple: true })).toBe(JOURNAL_SIZE_LIMIT);
    }
    expect(BUSY_TIMEOUT_MS).toBeGreaterThanOrEqual(30_000);
    reader.close();
    db.close();
  });

  it('a reader cannot write, by type or by SQLite', () => {
    const path = tempPath();
    const db = openDb(path);
    const reader: ReadonlyDb = openReader(path);
    // The type has no exec (the object does: the type is what keeps readers from calling it).
    // @ts-expect-error a ReadonlyDb has no exec
    expect(typeof reader.exec).toBe('function');
    expect(() =>
      reader
        .prepare(
          `INSERT INTO datasets (name, city, tz, format, created_at, updated_at) VALUES ('a','b','c','d','e','f')`,
        )
        .run(),
    ).toThrow(/readonly/);
    reader.close();
    db.close();
  });
});

describe('beginImmediate', () => {
  it('waits for another process without blocking the event loop, then takes the lock', async () => {
    const path = tempPath();
    const db = openDb(path);
    const lock = await holdWriteLock(path, 1_500);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 50);
    const waits: number[] = [];
    await beginImmediate(db, { onWait: () => waits.push(1) });
    clearInterval(timer);
    const released = await lock.released;
    expect(performance.now()).toBeGreaterThanOrEqual(released);
    expect(waits).toEqual([1]);
    // The loop kept turning while the lock was held (about 30 ticks in 1.5 s).
    expect(ticks).toBeGreaterThan(10);
    expect(db.inTransaction).toBe(true);
    db.exec('COMMIT');
    db.close();
  }, 30_000);

  it('gives up after its timeout with one line, having written nothing', async () => {
    const path = tempPath();
    const db = openDb(path);
    const lock = await holdWriteLock(path, 2_000);
    await expect(beginImmediate(db, { timeoutMs: 300 })).rejects.toThrow(
      /^the database .* is busy: another program has held its write lock for 0.3 s; nothing was written/,
    );
    expect(db.inTransaction).toBe(false);
    await lock.released;
    db.close();
  }, 30_000);
});

describe('writeTransaction', () => {
  it("waits for another job's transaction on the same connection instead of writing inside it, and rolls back on error", async () => {
    const path = tempPath();
    const db = openDb(path);
    db.exec('CREATE TABLE t (x INTEGER)');
    // An import awaiting its next batch holds the connection's transaction across turns of the loop.
    db.exec('BEGIN IMMEDIATE');
    db.prepare('INSERT INTO t VALUES (1)').run();
    const order: string[] = [];
    const writing = writeTransaction(db, () => {
      order.push('write');
      db.prepare('INSERT INTO t VALUES (2)').run();
      return 2;
    }).then((v) => {
      order.push('committed');
      return v;
    });
    await new Promise((r) => setTimeout(r, 100));
    // The other job rolls back: the waiting write was not part of it, so it is not lost with it.
    order.push('rollback');
    db.exec('ROLLBACK');
    await expect(writing).resolves.toBe(2);
    expect(order).toEqual(['rollback', 'write', 'committed']);
    expect(db.prepare('SELECT x FROM t').pluck().all()).toEqual([2]);
    await expect(
      writeTransaction(db, () => {
        db.prepare('INSERT INTO t VALUES (3)').run();
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(db.inTransaction).toBe(false);
    expect(db.prepare('SELECT x FROM t').pluck().all()).toEqual([2]);
    db.close();
  });
});

describe('the -wal file after an import', () => {
  it('is emptied by the import while another connection keeps the database open', async () => {
    const path = tempPath();
    const db = openDb(path);
    const host = openReader(path);
    expect(host.prepare(`SELECT COUNT(*) FROM datasets`).pluck().get()).toBe(0);
    const rows = ['ID,TYPE,DATETIME,SOURCE,LATITUDE,LONGITUDE,RAW'];
    for (let i = 0; i < 20_000; i++) {
      const t = new Date(Date.UTC(2015, 0, 1) + i * 60_000).toISOString().slice(0, 19);
      rows.push(`1D${i},Single_Gunshot,${t},WashingtonDC1D,38.9${i % 97},-77.0${i % 89},some raw text`);
    }
    const file = join(path, '..', 'big.csv');
    writeFileSync(file, rows.join('\n') + '\n');
    await importFile(db, file, { dataset: 'big' });
    expect(statSync(`${path}-wal`).size).toBe(0);
    expect(host.prepare(`SELECT COUNT(*) FROM events`).pluck().get()).toBe(20_000);
    // A checkpoint with nothing to do also succeeds.
    expect(await checkpointTruncate(db)).toBe(true);
    host.close();
    db.close();
  });
});
