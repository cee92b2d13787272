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
