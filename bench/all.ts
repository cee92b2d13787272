/**
 * `npm run bench [-- NAME…]`: runs the benchmarks one after another (never side by side, so they do
 * not compete for the 2 cores) and prints one JSON object with every result and the machine it ran on.
 * Each benchmark runs in its own process and prints one JSON line per configuration on stdout.
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

const BENCHES = [
  'ingest',
  'ingest-scale',
  'evaluate',
  'scale',
  'train',
  'infer',
  'brief',
  'ui',
  'web-busy',
] as const;
const root = fileURLToPath(new URL('..', import.meta.url));
const tsx = import.meta.resolve('tsx');

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !(BENCHES as readonly string[]).includes(w));
if (unknown.length) {
  process.stderr.write(`bench: unknown benchmark ${unknown.join(', ')} (known: ${BENCHES.join(', ')})\n`);
  process.exit(2);
}
const names = wanted.length ? wanted : [...BENCHES];

const results: Record<string, unknown> = {};
let failed = 0;
for (const name of names) {
  process.stderr.write(`bench: ${name} …\n`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', tsx, `bench/${name}.ts`], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const lines = (r.stdout ?? '')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as unknown);
  if (r.status !== 0 || lines.length === 0) {
    failed++;
    results[name] = { error: `exit ${r.status ?? r.signal}`, output: lines };
  } else {
    results[name] = lines.length === 1 ? lines[0] : lines;
  }
  process.stderr.write(`bench: ${name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
};
process.stdout.write(JSON.stringify({ date: new Date().toISOString(), machine, results }, null, 2) + '\n');
process.exitCode = failed ? 1 : 0;
