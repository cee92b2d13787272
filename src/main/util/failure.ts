/**
 * What a door does with an error that is not a ShotcastError: a mistake of the user's or of the
 * machine's (a missing folder, a file that is not a database, a full disk) is still the user's to fix
 * and becomes a one-line DataError; anything else is a bug, whose stack goes to a log file.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError, ShotcastError } from './errors.ts';

/** File-system errors that describe the user's files or machine, never shotcast's code. */
const FS_REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EEXIST: 'already exists',
  ENAMETOOLONG: 'the path is too long',
  EMFILE: 'too many open files',
  EBUSY: 'the file is busy',
};

/** SQLite results that describe the database file or the machine, not a wrong statement. */
const SQLITE_REASONS: Record<string, string> = {
  SQLITE_NOTADB: 'not a shotcast database (not an SQLite file)',
  SQLITE_CORRUPT: 'the database file is damaged',
  SQLITE_CANTOPEN: 'cannot open the database file',
  SQLITE_READONLY: 'the database is read-only',
  SQLITE_FULL: 'the disk is full',
  SQLITE_BUSY: 'the database is locked by another program',
  SQLITE_LOCKED: 'the database is locked by another program',
  SQLITE_PERM: 'permission denied',
  SQLITE_AUTH: 'permission denied',
  SQLITE_IOERR: 'a disk input/output error',
};

/** The user-facing form of an error, or null when the error is a bug. */
export function userErrorOf(e: unknown): ShotcastError | null {
  if (e instanceof ShotcastError) return e;
  if (!(e instanceof Error)) return null;
  const code = (e as { code?: unknown }).code;
  // connection.ts reports a database that cannot be opened, or is from a newer shotcast, this way.
  if (e.name === 'DatabaseError') return new DataError(firstLine(e.message));
  // A job the user cancelled (src/main/ipc/jobs.ts) is their own choice, not a failure of the code.
  if (e.name === 'CancelledError') return new DataError(firstLine(e.message));
  if (e.name === 'SqliteError' && typeof code === 'string') {
    const base = code.split('_').slice(0, 2).join('_');
    const reason = SQLITE_REASONS[code] ?? SQLITE_REASONS[base];
    if (reason) return new DataError(`database: ${reason} (${firstLine(e.message)})`);
    return null;
  }
  if (typeof code === 'string' && code in FS_REASONS) {
    const path = (e as { path?: unknown }).path;
    const syscall = (e as { syscall?: unknown }).syscall;
    const what = typeof syscall === 'string' ? ` (${syscall})` : '';
    return new DataError(
      typeof path === 'string' ? `${path}: ${FS_REASONS[code]}${what}` : `${FS_REASONS[code]}${what}`,
    );
  }
  return null;
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}

/** The folder for logs of internal errors: SHOTCAST_LOG_DIR, or shotcast-logs in the temp folder. */
export function logDir(): string {
  return process.env.SHOTCAST_LOG_DIR || join(tmpdir(), 'shotcast-logs');
}

/** Writes a bug's stack (and what was running) to a log file; returns the file's path. */
export function logInternalError(e: unknown, context: string): string {
  const dir = logDir();
  const file = join(dir, `internal-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}.log`);
  const stack = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
  try {
    mkdirSync(dir, { recursive: true });
    appendFileSync(file, `${new Date().toISOString()} ${context}\n${stack}\n`);
  } catch {
    return '(the log file could not be written)';
  }
  return file;
}
