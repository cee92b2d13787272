import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const BETTER_SQLITE3 = createRequire(import.meta.url).resolve('better-sqlite3');

/**
 * For tests: another process takes the database's write lock (BEGIN IMMEDIATE) and holds it for
 * `ms`, as a second shotcast command or a backup tool would. Resolves once the lock is held;
 * `released` resolves with the time (performance.now() of this process) the holder committed.
 */
export async function holdWriteLock(dbPath: string, ms: number): Promise<{ released: Promise<number> }> {
  const script = `
    const Database = require(${JSON.stringify(BETTER_SQLITE3)});
    const db = new Database(${JSON.stringify(dbPath)});
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('locked\\n');
    setTimeout(() => { db.exec('COMMIT'); db.close(); process.stdout.write('released\\n'); }, ${ms});
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let locked!: () => void;
  let failed!: (e: Error) => void;
  const lockedP = new Promise<void>((ok, fail) => {
    locked = ok;
    failed = fail;
  });
  const released = new Promise<number>((ok, fail) => {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      if (d.includes('locked')) locked();
      if (d.includes('released')) ok(performance.now());
    });
    child.on('exit', (code) => {
      const e = new Error(`lock holder exited with ${code}`);
      failed(e);
      fail(e);
    });
  });
  released.catch(() => {});
  await lockedP;
  return { released };
}
