import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run.ts';
import { COMMANDS } from './commands/index.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  return { out: () => out.join(''), err: () => err.join('') };
}

afterEach(() => vi.restoreAllMocks());

describe('shotcast CLI', () => {
  it('has unique command names, each loading a command of that name', async () => {
    expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(COMMANDS.length);
    for (const entry of COMMANDS) expect((await entry.load()).name).toBe(entry.name);
  });

  it("prints evaluate's models from the model catalogue under --help, each with its defaults", async () => {
    const io = capture();
    expect(await runCli(['evaluate', '--help'])).toBe(0);
    const text = io.out();
    expect(text).toMatch(
      /^usage: shotcast evaluate .*--models counts-all,counts-365d,kde:tau=90,sigma=0\.5,/,
    );
    expect(text).toMatch(/kde +time-decayed kernel density.*\n +params \(defaults\): tau=90,sigma=0\.5/);
    expect(text).toMatch(/convlstm +ConvLSTM.*\n +params \(defaults\): preset=default,/);
  });

  it('exits 2 with one line for an unknown command or a missing option', async () => {
    const io = capture();
    expect(await runCli(['frobnicate'])).toBe(2);
    expect(await runCli(['datasets'])).toBe(2);
    expect(await runCli(['datasets', '--db', 'x.sqlite', '--bogus'])).toBe(2);
    const lines = io.err().trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/unknown command 'frobnicate'/);
    expect(lines[1]).toBe('shotcast datasets: --db is required');
    expect(lines[2]).toMatch(/bogus/);
  });

  it('exits 1 for bad data, naming the file and the line, with no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shotcast-cli-'));
    const csv = join(dir, 'bad.csv');
    writeFileSync(
      csv,
      'ID,TYPE,DATETIME,SOURCE,LATITUDE,LONGITUDE\n1,Single_Gunshot,"2018-01-01T00:00:00,7D,38.9,-77\n',
    );
    const io = capture();
    const code = await runCli(['import', csv, '--db', join(dir, 'db.sqlite'), '--json']);
    expect(code).toBe(1);
    const err = io.err().trim();
    expect(err.split('\n')).toHaveLength(1);
    expect(err).toContain('bad.csv');
    expect(err).toMatch(/line \d+/);
    expect(err).not.toMatch(/\n\s+at /);
    expect(io.out()).toBe('');
  });

  it('prints exactly one JSON object under --json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shotcast-cli-'));
    const io = capture();
    expect(await runCli(['datasets', '--db', join(dir, 'db.sqlite'), '--json'])).toBe(0);
    expect(JSON.parse(io.out())).toEqual({ datasets: [] });
  });
});
