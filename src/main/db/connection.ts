import type Database from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations/index.ts';
import { NativeBuildError, openSqlite } from './native.ts';

/** A handle that may write. */
export type WritableDb = Database.Database & { readonly __writable: true };
/**
 * A handle for queries; functions that only read take this type. It has no exec, transaction or
 * backup, and a connection from openReader is read-only in SQLite too, so a statement that writes
 * fails there. A WritableDb can be passed where a ReadonlyDb is taken.
 */
export type ReadonlyDb = Pick<
  Database.Database,
  'prepare' | 'pragma' | 'function' | 'aggregate' | 'close' | 'open' | 'name' | 'inTransaction' | 'readonly'
>;

/**
 * How long a statement waits for another connection's lock before it fails with "database is
 * locked": longer than any other shotcast job's transaction (an import commits once, at the end).
 */
export const BUSY_TIMEOUT_MS = 30_000;
/** The -wal file is truncated to this size whenever a checkpoint resets it. */
export const JOURNAL_SIZE_LIMIT = 32 << 20;

export class DatabaseError extends Error {
  override name = 'DatabaseError';
}

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** Opens (creating if needed) a shotcast database, migrated to the current schema. */
export function openDb(path: string, opts: { readonly?: boolean } = {}): WritableDb {
  let db: Database.Database;
  try {
    db = openSqlite(path, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
  } catch (e) {
    if (e instanceof NativeBuildError) throw e;
    throw new DatabaseError(`cannot open database ${path}: ${(e as Error).message}`);
  }
  try {
    if (!opts.readonly) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new DatabaseError(
        `database ${path} has schema version ${version}, newer than this shotcast (${SCHEMA_VERSION}); update shotcast to open it`,
      );
    }
    if (!opts.readonly) migrate(db, MIGRATIONS);
    else if (version < SCHEMA_VERSION) {
      // A database from an older shotcast, opened to read (a read-only command run first after an
      // update): upgraded once, each migration in its own transaction, then opened to read.
      db.close();
      upgrade(path, version);
      return openDb(path, opts);
    }
  } catch (e) {
    if (db.open) db.close();
    throw e;
  }
  return db as WritableDb;
}

function upgrade(path: string, version: number): void {
  let db: WritableDb;
  try {
    db = openDb(path);
  } catch (e) {
    throw new DatabaseError(
      `database ${path} has schema version ${version}, older than this shotcast's ${SCHEMA_VERSION}, and cannot be upgraded here (${(e as Error).message}); open it once where it can be written`,
    );
  }
  db.close();
}

/**
 * A read-only connection for a window's or a web page's reads (the database must exist and be at the
 * current schema). In WAL mode a writer never blocks it: it reads the last committed state, never a
 * transaction another job of the same process still has open.
 */
export function openReader(path: string): ReadonlyDb {
  return openDb(path, { readonly: true });
}

/** Applies every migration above the database's user_version, each in its own transaction. */
export function migrate(db: Database.Database, migrations: readonly Migration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.up);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
