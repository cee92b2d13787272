import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDb, SCHEMA_VERSION, migrate } from './connection.ts';
import { MIGRATIONS } from './migrations/index.ts';

describe('database', () => {
  it('migrates a new database to the current version with WAL and foreign keys', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'shotcast-db-')), 'a.sqlite');
    const db = openDb(path);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('refuses a database from a newer shotcast', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'shotcast-db-')), 'b.sqlite');
    const raw = new Database(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openDb(path)).toThrow(/newer than this shotcast/);
  });

  it('upgrades a database of an older shotcast opened to read, keeping its rows', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'shotcast-db-')), 'c.sqlite');
    const raw = new Database(path);
    migrate(
      raw,
      MIGRATIONS.filter((m) => m.version < SCHEMA_VERSION),
    );
    raw
      .prepare(
        `INSERT INTO datasets (name, city, tz, format, created_at, updated_at) VALUES ('dc', 'DC', 'America/New_York', 'dc', 'x', 'x')`,
      )
      .run();
    raw.close();
    const db = openDb(path, { readonly: true });
    expect(db.readonly).toBe(true);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare(`SELECT name FROM datasets`).pluck().all()).toEqual(['dc']);
    db.close();
  });

  it.each(MIGRATIONS.map((m) => [m.version, m] as const))(
    'migration %i applies on an in-memory database',
    (version) => {
      const db = new Database(':memory:');
      migrate(
        db,
        MIGRATIONS.filter((m) => m.version <= version),
      );
      expect(db.pragma('user_version', { simple: true })).toBe(version);
      db.close();
    },
  );
});
