/**
 * bench:ingest — shotcast's full import (parse, validate, normalise, dedup, insert) of a 1,000,000-row
 * CSV in the DC MPD normalized format, against the sqlite3 CLI's raw `.import` of the same file into a
 * plain table. The import runs in a child process so that its peak RSS is its own (a file this big is
 * parsed in a worker thread of that process while its main thread writes).
 *
 *   npm run bench:ingest [-- --rows N] [-- --keep]
 * Prints one JSON object: {"rows","shotcastSeconds","sqliteSeconds","ratio","peakRssMB",…}.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generate } from './mpd-csv.ts';

const SELF = fileURLToPath(import.meta.url);
/** The child: import the file with shotcast's core and report time and peak RSS. */
async function child(file: string, dbPath: string): Promise<void> {
  const { openDb } = await import('../src/main/db/connection.ts');
  const { importFile } = await import('../src/main/ingest/import.ts');
  const db = openDb(dbPath);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const report = await importFile(db, file, { dataset: 'bench' });
  // Closing checkpoints the WAL into the database file: part of the cost of the import.
  db.close();
  const cpu = process.cpuUsage(c0);
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(
    JSON.stringify({
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      maxRssMB: process.resourceUsage().maxRSS / 1024,
      report,
    }) + '\n',
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '1000000' },
      keep: { type: 'boolean', default: false },
      child: { type: 'string', multiple: true },
    },
  });
  if (values.child) return child(values.child[0], values.child[1]);
  const rows = Number(values.rows);
  const dir = mkdtempSync(join(tmpdir(), 'shotcast-bench-ingest-'));
  try {
    const csv = join(dir, 'mpd_1m.csv');
    await generate(csv, rows);
    // Other work on the machine slows both sides; the 1-minute load average says how busy it was.
    const loadBefore = loadavg()[0];

    const sqliteDb = join(dir, 'sqlite.db');
    // GNU time, when present, also gives sqlite3's CPU seconds (a fairer figure on a busy machine).
    const timeFile = join(dir, 'sqlite.time');
    const gnuTime = existsSync('/usr/bin/time');
    const sqArgs = [sqliteDb, '-cmd', '.mode csv', `.import ${csv} events`];
    const s0 = performance.now();
    const sq = gnuTime
      ? spawnSync('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, 'sqlite3', ...sqArgs], {
          encoding: 'utf8',
        })
      : spawnSync('sqlite3', sqArgs, { encoding: 'utf8' });
    const sqliteSeconds = (performance.now() - s0) / 1000;
    const sqliteCpu = gnuTime
      ? readFileSync(timeFile, 'utf8')
          .trim()
          .split(/\s+/)
          .map(Number)
          .reduce((a, b) => a + b, 0)
      : NaN;
    if (sq.status !== 0) throw new Error(`sqlite3 failed: ${sq.stderr || sq.error?.message}`);
    const sqliteRows = Number(
      spawnSync('sqlite3', [sqliteDb, 'SELECT COUNT(*) FROM events'], { encoding: 'utf8' }).stdout.trim(),
    );

    const shotcastDb = join(dir, 'shotcast.db');
    const c0 = performance.now();
    const ch = spawnSync(process.execPath, ['--import', 'tsx', SELF, '--child', csv, '--child', shotcastDb], {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    const processSeconds = (performance.now() - c0) / 1000;
    if (ch.status !== 0) throw new Error(`shotcast import failed: ${ch.stderr}`);
    const res = JSON.parse(ch.stdout.trim().split('\n').pop()!) as {
      seconds: number;
      cpuSeconds: number;
      maxRssMB: number;
      report: { imported: number; duplicates: number; rejected: number };
    };
    const shotcastRate = rows / res.seconds;
    const sqliteRate = sqliteRows / sqliteSeconds;
    const result = {
      rows,
      shotcastSeconds: round(res.seconds),
      sqliteSeconds: round(sqliteSeconds),
      shotcastRowsPerSecond: Math.round(shotcastRate),
      sqliteRowsPerSecond: Math.round(sqliteRate),
      ratio: round(shotcastRate / sqliteRate),
      peakRssMB: round(res.maxRssMB),
      target: { ratio: 0.5, peakRssMB: 300 },
      pass: shotcastRate / sqliteRate >= 0.5 && res.maxRssMB < 300,
      shotcastProcessSeconds: round(processSeconds),
      shotcastCpuSeconds: round(res.cpuSeconds),
      sqliteCpuSeconds: round(sqliteCpu),
      cpuRatio: round(sqliteCpu / res.cpuSeconds),
      imported: res.report.imported,
      duplicates: res.report.duplicates,
      rejected: res.report.rejected,
      sqliteRows,
      fileMB: round(statSync(csv).size / 2 ** 20),
      shotcastDbMB: round(statSync(shotcastDb).size / 2 ** 20),
      sqliteDbMB: round(statSync(sqliteDb).size / 2 ** 20),
      loadAverage: [round(loadBefore), round(loadavg()[0])],
    };
    process.stdout.write(JSON.stringify(result) + '\n');
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

await main();
