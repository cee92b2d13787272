import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportFailure, runCli } from './run.ts';

/** One rule for every argument: what the CLI refuses, with which exit code, in how many lines. */

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  return { out: () => out.join(''), err: () => err.join('') };
}

afterEach(() => vi.restoreAllMocks());

const dir = mkdtempSync(join(tmpdir(), 'shotcast-args-'));
const db = join(dir, 'db.sqlite');
const csv = join(dir, 'alerts.csv');

beforeAll(async () => {
  const rows = ['ID,TYPE,DATETIME,SOURCE,LATITUDE,LONGITUDE'];
  for (let i = 0; i < 20; i++)
    rows.push(`${i},Single_Gunshot,2018-01-${String(1 + i).padStart(2, '0')}T10:00:00,7D,38.9${i},-77.0${i}`);
  writeFileSync(csv, rows.join('\n') + '\n');
  const io = capture();
  expect(await runCli(['import', csv, '--db', db, '--dataset', 'dc'])).toBe(0);
  expect(io.err()).toBe('');
  vi.restoreAllMocks();
});

async function refused(args: string[]): Promise<{ code: number; err: string }> {
  const io = capture();
  const code = await runCli(args);
  vi.restoreAllMocks();
  return { code, err: io.err() };
}

/** Every date flag of every command, with the other arguments the command would need. */
const DATE_FLAGS: [string, string, string[]][] = [
  ['evaluate', 'test-from', ['--test-to', '2018-03-01']],
  ['evaluate', 'test-to', ['--test-from', '2018-01-01']],
  ['train', 'train-to', ['--val-to', '2018-03-01', '--model', 'convlstm', '--out', 'x.onnx']],
  ['train', 'val-to', ['--train-to', '2018-01-01', '--model', 'convlstm', '--out', 'x.onnx']],
  ['tune', 'train-to', ['--val-to', '2018-03-01']],
  ['tune', 'val-to', ['--train-to', '2018-01-01']],
  ['forecast', 'at', []],
  ['brief', 'at', ['--out', join(dir, 'b.pdf')]],
  ['export', 'at', ['--out', join(dir, 'e.csv')]],
  ['demo', 'test-from', ['--convlstm', 'none']],
  ['demo', 'test-to', ['--convlstm', 'none']],
];

describe('dates', () => {
  it.each(DATE_FLAGS)(
    '%s --%s refuses 2018-02-30 with exit 2, naming the flag and the form',
    async (cmd, flag, rest) => {
      const base = cmd === 'demo' ? ['--out', join(dir, 'demo')] : ['--db', db, '--dataset', 'dc'];
      const { code, err } = await refused([cmd, ...base, `--${flag}`, '2018-02-30', ...rest]);
      expect(code).toBe(2);
      expect(err.trim().split('\n')).toHaveLength(1);
      expect(err).toContain(`--${flag}`);
      expect(err).toContain('YYYY-MM-DD');
      expect(err).toContain("'2018-02-30'");
      expect(err).not.toMatch(/internal/);
    },
  );

  it.each(['2018-13-01', '18-1-1', '2018-1-1', '2018-00-10', '2017-02-29', '2018-04-31', ' 2018-01-01'])(
    'refuses %j',
    async (bad) => {
      const { code, err } = await refused([
        'evaluate',
        '--db',
        db,
        '--dataset',
        'dc',
        '--test-from',
        bad,
        '--test-to',
        '2018-03-01',
      ]);
      expect(code).toBe(2);
      expect(err).toMatch(/--test-from must be a real date in the form YYYY-MM-DD/);
    },
  );

  it('accepts real days, leap days included, and a time only where --at allows one', async () => {
    // 2016-02-29 is real: the evaluation then fails on the data (exit 1), not on the date.
    const leap = await refused([
      'evaluate',
      '--db',
      db,
      '--dataset',
      'dc',
      '--rows',
      '4',
      '--cols',
      '4',
      '--test-from',
      '2016-02-29',
      '--test-to',
      '2016-03-01',
    ]);
    expect(leap.err).not.toMatch(/must be a real date/);
    const forecast = await refused(['forecast', '--db', db, '--dataset', 'dc', '--at', '2018-01-10T25:00']);
    expect(forecast.code).toBe(2);
    expect(forecast.err).toMatch(/--at must be a real date/);
  });
});

describe('names', () => {
  it('import refuses a dataset name with a newline: exit 2, one line, no database written', async () => {
    const fresh = join(dir, 'fresh.sqlite');
    const { code, err } = await refused(['import', csv, '--db', fresh, '--dataset', 'a\nb']);
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(/--dataset contains a newline/);
    expect(existsSync(fresh)).toBe(false);
  });

  it('import refuses a name of 10,000 characters in one short line', async () => {
    const { code, err } = await refused(['import', csv, '--db', db, '--dataset', 'x'.repeat(10_000)]);
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err.length).toBeLessThan(200);
    expect(err).toMatch(/--dataset is 10000 characters long \(at most 100\)/);
  });

  it('a name taken from a file name is made to follow the rule', async () => {
    const spaced = join(dir, 'my shots (2018).csv');
    writeFileSync(spaced, readFileSync(csv));
    const io = capture();
    expect(await runCli(['import', spaced, '--db', join(dir, 'names.sqlite'), '--json'])).toBe(0);
    expect(JSON.parse(io.out()).dataset).toBe('my-shots-2018');
  });

  it.each([
    ['grid', ['--rows', '4', '--cols', '4']],
    ['evaluate', ['--rows', '4', '--cols', '4', '--test-from', '2018-01-10', '--test-to', '2018-01-20']],
    [
      'train',
      ['--model', 'convlstm', '--train-to', '2018-01-10', '--val-to', '2018-01-20', '--out', 'x.onnx'],
    ],
    ['tune', ['--train-to', '2018-01-10', '--val-to', '2018-01-20', '--trials', '1']],
    ['forecast', ['--at', '2018-01-10']],
    ['brief', ['--at', '2018-01-10', '--out', 'x.pdf']],
    ['export', ['--at', '2018-01-10', '--out', 'x.csv']],
    ['runs', []],
    ['update', [csv]],
  ])('%s with a mistyped dataset exits 1 without "internal", and creates no dataset', async (cmd, rest) => {
    const { code, err } = await refused([cmd, '--db', db, '--dataset', 'dcc', ...rest]);
    expect(code).toBe(1);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(/dataset.*'dcc'/);
    expect(err).not.toMatch(/internal/);
    const io = capture();
    await runCli(['datasets', '--db', db, '--json']);
    expect((JSON.parse(io.out()) as { datasets: { name: string }[] }).datasets.map((d) => d.name)).toEqual([
      'dc',
    ]);
  });
});

describe("the machine and the files are the user's mistakes; only a bug is internal", () => {
  it('a database in a missing folder, or a file that is not a database, exits 1 without "internal"', async () => {
    const notDb = join(dir, 'not-a-db.sqlite');
    writeFileSync(notDb, 'hello, this is text\n'.repeat(100));
    for (const path of [join(dir, 'no', 'such', 'folder', 'db.sqlite'), notDb]) {
      const { code, err } = await refused(['datasets', '--db', path]);
      expect(code).toBe(1);
      expect(err.trim().split('\n')).toHaveLength(1);
      expect(err).not.toMatch(/internal/);
    }
  });

  it('a file-system error exits 1 and names the path', () => {
    const e = Object.assign(new Error("ENOENT: no such file or directory, open '/x/y.pdf'"), {
      code: 'ENOENT',
      path: '/x/y.pdf',
      syscall: 'open',
    });
    const io = capture();
    expect(reportFailure('brief', e)).toBe(1);
    expect(io.err()).toBe('shotcast brief: /x/y.pdf: no such file or directory (open)\n');
  });

  it('a bug exits 70, says "internal error" in one line and writes its stack to the log file it names', () => {
    const logs = mkdtempSync(join(tmpdir(), 'shotcast-logs-'));
    vi.stubEnv('SHOTCAST_LOG_DIR', logs);
    const io = capture();
    const code = reportFailure('grid', new TypeError("Cannot read properties of undefined (reading 'rows')"));
    vi.unstubAllEnvs();
    expect(code).toBe(70);
    const line = io.err();
    expect(line.trim().split('\n')).toHaveLength(1);
    expect(line).toMatch(/^shotcast grid: internal error: Cannot read properties of undefined/);
    const log = /the stack is in (\S+)\)/.exec(line)?.[1];
    expect(log?.startsWith(logs)).toBe(true);
    const text = readFileSync(log!, 'utf8');
    expect(text).toMatch(/TypeError: Cannot read properties/);
    expect(text).toMatch(/\n\s+at /);
  });
});
