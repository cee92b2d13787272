import type Database from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations/index.ts';
import { NativeBuildError, openSqlite } from './native.ts';

/** A handle that may write. */
export type WritableDb = Database.Database & { readonly __writable: true };
/** A handle for queries; functions that only read take this type. */
export type ReadonlyDb = Database.Database & { readonly __readonly?: true };

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
    db.pragma('busy_timeout = 5000');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new DatabaseError(
        `database ${path} has schema version ${version}, newer than this shotcast (${SCHEMA_VERSION}); update shotcast to open it`,
      );
    }
    if (!opts.readonly) migrate(db, MIGRATIONS);
    else if (version < SCHEMA_VERSION) {
      throw new DatabaseError(
        `database ${path} has schema version ${version}; open it writable once to upgrade`,
      );
    }
  } catch (e) {
    db.close();
    throw e;
  }
  return db as WritableDb;
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
