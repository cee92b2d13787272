/**
 * The installed command (bin/shotcast.js) when its reader stops early, as `shotcast … | head -1`
 * does: the pipe closes before the command writes, and it still ends as it would have, with no stack
 * trace on stderr.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'shotcast-pipe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], closeStdout: boolean): Promise<{ code: number | null; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(REPO, 'bin/shotcast.js'), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c));
    if (closeStdout) child.stdout.destroy();
    else child.stdout.resume();
    child.on('exit', (code) => done({ code, err }));
  });
}

describe('shotcast on a closed pipe', () => {
  it('ends with its usual exit code and no stack trace when the reader has gone', async () => {
    const db = join(dir, 'a.db');
    // The listing and the help, each printed after the reader has gone; then a failure, in one line.
    for (const args of [['datasets', '--db', db], ['--help']]) {
      const r = await run(args, true);
      expect(r.err, args.join(' ')).toBe('');
      expect(r.code, args.join(' ')).toBe(0);
    }
    const bad = await run(['datasets', '--db', db, '--delete', 'nosuch', '--yes'], true);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^shotcast datasets: no dataset named 'nosuch'/);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
  }, 60_000);
});
