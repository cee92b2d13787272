/**
 * bench:brief — how long `shotcast brief` takes from the command line on the built-in DC sample
 * (5 units, daily step, kde, 36 × 36 grid), as a user would run it: a fresh process each time.
 * The first run may fill the map-layer cache; the rest are warm. Also times the in-process phases
 * (forecast, deployment, drawing) and, for scale, a trivial command (`shotcast datasets`), which is
 * the cost of starting Node and the TypeScript loader alone.
 *
 *   npm run bench:brief [-- --repeat 5]
 * Prints one JSON object: {"cliSeconds": {"first", "median", "runs"}, "cliCpuSeconds", "startupSeconds",
 * "phases", "loadAverage1m", …}. Wall time on a loaded machine counts the wait for a core, so CPU time
 * (user + system of the CLI process tree) is reported beside it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { prepareBriefing } from '../src/main/app/brief.ts';
import { deployUnits } from '../src/main/briefing/deploy.ts';
import { renderPdf } from '../src/main/briefing/pdf.ts';
import { loadDcSample } from '../src/main/briefing/testing/dc-sample.ts';
import { openDb } from '../src/main/db/connection.ts';
import { forecastAt } from '../src/main/forecast/forecast-at.ts';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const BIN = join(ROOT, 'bin/shotcast.js');
const { values } = parseArgs({ options: { repeat: { type: 'string', default: '5' } } });
const repeat = Math.max(1, Number(values.repeat));
const TARGET_SECONDS = 2;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (v: number): number => Math.round(v * 1000) / 1000;

/**
 * CPU seconds used by waited-for child processes so far (Linux /proc; null elsewhere). On a shared,
 * loaded machine wall time mostly measures the queue for a core; CPU time is what the run itself costs.
 */
function childCpuSeconds(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 16 and 17 of stat (cutime, cstime), counted from after the command name: indices 13, 14.
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return null;
  }
}

const cpuRuns: number[] = [];

function timeCli(args: string[]): number {
  const c0 = childCpuSeconds();
  const t0 = performance.now();
  execFileSync(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  const c1 = childCpuSeconds();
  if (c0 !== null && c1 !== null) cpuRuns.push(c1 - c0);
  return (performance.now() - t0) / 1000;
}

const dir = mkdtempSync(join(tmpdir(), 'bench-brief-'));
try {
  const dbPath = join(dir, 'dc.db');
  const db = openDb(dbPath);
  const loader = await loadDcSample(db);
  db.close();
  const out = join(dir, 'briefing.pdf');
  const args = [
    'brief',
    '--db',
    dbPath,
    '--dataset',
    'dc',
    '--at',
    '2018-09-29',
    '--units',
    '5',
    '--out',
    out,
  ];
  const runs: number[] = [];
  for (let i = 0; i < repeat; i++) runs.push(timeCli(args));
  const briefCpu = cpuRuns.splice(0);
  const startup: number[] = [];
  for (let i = 0; i < Math.min(3, repeat); i++) startup.push(timeCli(['datasets', '--db', dbPath]));
  const startupCpu = cpuRuns.splice(0);
  const pdf = readFileSync(out);
  const pages = /Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [out], { encoding: 'utf8' }))?.[1];

  // In-process phases, warm (second pass), to show where the time goes.
  const ro = openDb(dbPath);
  const cpu: Record<string, number> = {};
  const phase = async <T>(f: () => Promise<T> | T, name: string): Promise<[T, number]> => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const r = await f();
    const c = process.cpuUsage(c0);
    cpu[name] = round((c.user + c.system) / 1e6);
    return [r, (performance.now() - t0) / 1000];
  };
  await prepareBriefing({ db: ro, dbPath }, { dataset: 'dc', at: '2018-09-29' });
  const [f, forecastSeconds] = await phase(
    () =>
      forecastAt(ro, {
        dataset: 'dc',
        grid: { rows: 36, cols: 36 },
        step: { unit: 'day' },
        at: '2018-09-29',
        model: 'kde',
      }),
    'forecast',
  );
  const [d, deploySeconds] = await phase(
    () =>
      deployUnits(
        { rows: f.grid.rows, cols: f.grid.cols, risk: f.risk, studyMask: f.studyMask },
        { units: 5 },
      ),
    'deploy',
  );
  const [b, buildSeconds] = await phase(
    () => prepareBriefing({ db: ro, dbPath }, { dataset: 'dc', at: '2018-09-29' }),
    'buildReport',
  );
  const [, renderSeconds] = await phase(() => renderPdf(b.report, b.map), 'renderPdf');
  ro.close();

  const result = {
    dataset: 'DC MPD 2014-2018 sample',
    loader,
    units: 5,
    model: b.report.model.spec,
    grid: `${b.report.grid.rows}x${b.report.grid.cols}`,
    cliSeconds: { first: round(runs[0]), median: round(median(runs)), runs: runs.map(round) },
    cliCpuSeconds: briefCpu.length ? { median: round(median(briefCpu)), runs: briefCpu.map(round) } : null,
    startupSeconds: round(median(startup)),
    startupCpuSeconds: startupCpu.length ? round(median(startupCpu)) : null,
    targetSeconds: TARGET_SECONDS,
    underTarget: median(runs) < TARGET_SECONDS,
    phases: {
      forecastSeconds: round(forecastSeconds),
      deploySeconds: round(deploySeconds),
      buildReportSeconds: round(buildSeconds),
      renderPdfSeconds: round(renderSeconds),
      cpuSeconds: cpu,
    },
    deployment: {
      coverage: round(d.coverage),
      topCellsCoverage: round(d.topCells.coverage),
      optimal: d.optimal,
      nodes: d.nodes,
    },
    pdfBytes: pdf.length,
    pages: Number(pages),
    loadAverage1m: round(loadavg()[0]),
    cpus: (await import('node:os')).cpus().length,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
