/**
 * bench:ingest-scale — memory and write-ahead log of big imports. For each row count (default 1 M and
 * 3 M generated MPD-normalized rows), shotcast imports the file in a child process while this process
 * keeps the database open and reads it every 200 ms, as the web host does. Reports the child's peak
 * RSS (main thread and parsing worker), the -wal file's largest size during the import, and its size
 * once the import has returned (both connections still open), against the targets: RSS under 300 MB
 * at 3 M rows and growing under 30 MB per further million, -wal under 64 MB after the import.
 *
 *   npm run bench:ingest-scale [-- --rows 1000000,3000000] [-- --fine] [-- --keep]
 * `--fine` writes coordinates to the micro-degree, so nearly every row is a new location. Prints one
 * JSON line per row count, then a summary line.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generate } from './mpd-csv.ts';

const SELF = fileURLToPath(import.meta.url);
const MB = 2 ** 20;

interface ChildResult {
  seconds: number;
  maxRssMB: number;
  walAfterImportMB: number;
  report: { imported: number; duplicates: number; rejected: number };
}

/** The child: import the file with shotcast's core; report time, peak RSS and the -wal left behind. */
async function child(file: string, dbPath: string): Promise<void> {
  const { openDb } = await import('../src/main/db/connection.ts');
  const { importFile } = await import('../src/main/ingest/import.ts');
  const db = openDb(dbPath);
  const t0 = performance.now();
  const report = await importFile(db, file, { dataset: 'bench' });
  const seconds = (performance.now() - t0) / 1000;
  const result: ChildResult = {
    seconds,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    walAfterImportMB: walMB(dbPath),
    report,
  };
  db.close();
  process.stdout.write(JSON.stringify(result) + '\n');
}

function walMB(dbPath: string): number {
  return existsSync(`${dbPath}-wal`) ? statSync(`${dbPath}-wal`).size / MB : 0;
}

async function one(dir: string, rows: number, fine: boolean): Promise<Record<string, unknown>> {
  const { openDb } = await import('../src/main/db/connection.ts');
  const csv = join(dir, `mpd_${rows}.csv`);
  await generate(csv, rows, { fine });
  const dbPath = join(dir, `shotcast_${rows}.db`);
  // The "web host": a connection of its own, open throughout, reading now and then.
  const host = openDb(dbPath);
  const list = host.prepare(`SELECT COUNT(*) FROM datasets`).pluck();
  let peakWalMB = 0;
  let slowestReadMs = 0;
  const timer = setInterval(() => {
    const t = performance.now();
    list.get();
    slowestReadMs = Math.max(slowestReadMs, performance.now() - t);
    peakWalMB = Math.max(peakWalMB, walMB(dbPath));
  }, 200);
  const loadBefore = loadavg()[0];
  try {
    const res = await new Promise<ChildResult>((resolve, reject) => {
      const ch = spawn(process.execPath, ['--import', 'tsx', SELF, '--child', csv, '--child', dbPath], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      ch.stdout.on('data', (d: Buffer) => (out += d.toString()));
      ch.on('error', reject);
      ch.on('close', (code) => {
        if (code !== 0) return reject(new Error(`import child exited ${code}`));
        resolve(JSON.parse(out.trim().split('\n').pop()!) as ChildResult);
      });
    });
    return {
      rows,
      fine,
      seconds: round(res.seconds),
      rowsPerSecond: Math.round(rows / res.seconds),
      peakRssMB: round(res.maxRssMB),
      peakWalMB: round(Math.max(peakWalMB, res.walAfterImportMB)),
      walAfterImportMB: round(res.walAfterImportMB),
      walWithHostOpenMB: round(walMB(dbPath)),
      slowestHostReadMs: round(slowestReadMs),
      imported: res.report.imported,
      duplicates: res.report.duplicates,
      rejected: res.report.rejected,
      fileMB: round(statSync(csv).size / MB),
      dbMB: round(statSync(dbPath).size / MB),
      loadAverage: [round(loadBefore), round(loadavg()[0])],
    };
  } finally {
    clearInterval(timer);
    host.close();
    rmSync(csv, { force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '1000000,3000000' },
      fine: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      child: { type: 'string', multiple: true },
    },
  });
  if (values.child) return child(values.child[0], values.child[1]);
  const counts = values.rows.split(',').map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'shotcast-bench-ingest-scale-'));
  try {
    const results: Record<string, unknown>[] = [];
    for (const rows of counts) {
      const r = await one(dir, rows, values.fine);
      results.push(r);
      process.stdout.write(JSON.stringify(r) + '\n');
    }
    const last = results[results.length - 1];
    const first = results[0];
    const perMillion =
      counts.length > 1
        ? round(
            (((last.peakRssMB as number) - (first.peakRssMB as number)) * 1e6) /
              (counts[counts.length - 1] - counts[0]),
          )
        : null;
    const lastRss = last.peakRssMB as number;
    const wal = results.map((r) => r.walWithHostOpenMB as number);
    process.stdout.write(
      JSON.stringify({
        summary: true,
        rows: counts,
        peakRssMB: results.map((r) => r.peakRssMB),
        rssGrowthMBPerMillion: perMillion,
        walWithHostOpenMB: wal,
        target: { peakRssMB: 300, rssGrowthMBPerMillion: 30, walMB: 64 },
        pass: lastRss < 300 && (perMillion === null || perMillion < 30) && wal.every((w) => w < 64),
      }) + '\n',
    );
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

await main();
