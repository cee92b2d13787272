/**
 * `npm run bench:web-busy`: how long the web host takes to answer a trivial call (`datasets.list`) while
 * the reference preset trains through `train.run`, against the same call when the host is idle. The host
 * runs in its own process (`scripts/web.mjs`, as `npm run web` starts it) on a fresh database holding the
 * DC sample; calls go over HTTP with the run's token, one at a time, every INTERVAL_MS.
 *
 *   npm run bench:web-busy [-- --seconds 60 --samples 40]
 * Prints one JSON object: {"idle": {medianMs, p95Ms, maxMs, samples}, "whileTraining": {…}, "jobSeconds", …}.
 * Target (issue 14): median under 100 ms while training (it was 1.2–2.7 s with training on the main thread).
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { startWeb } from '../test/e2e/harness.ts';
import { summarise } from './stats.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    samples: { type: 'string', default: '40' },
  },
});
/** How long to sample while training (the job is cancelled after that if it is still running). */
const BUSY_SECONDS = Math.max(5, Number(values.seconds));
const IDLE_SAMPLES = Math.max(5, Number(values.samples));
const INTERVAL_MS = 100;
const BBOX: [number, number, number, number] = [38.81, -77.05, 38.97, -76.9];

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

const web = await startWeb();
const token = new URL(web.url).searchParams.get('token') ?? '';
async function call(channel: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${web.origin}/api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shotcast-token': token },
    body: JSON.stringify(body),
  });
  const r = (await res.json()) as { ok: boolean; value?: unknown; error?: string };
  // The host's errors already start with the channel's name.
  if (!r.ok) throw new Error(r.error);
  return r.value;
}
async function timedList(): Promise<number> {
  const t0 = performance.now();
  await call('datasets.list', {});
  return performance.now() - t0;
}

try {
  await call('app.ensureDemo', { jobId: 'bench-demo' });
  for (let i = 0; i < 3; i++) await timedList(); // warm-up
  const idle: number[] = [];
  for (let i = 0; i < IDLE_SAMPLES; i++) {
    idle.push(await timedList());
    await sleep(INTERVAL_MS);
  }

  const t0 = performance.now();
  let finished: number | null = null;
  const training = call('train.run', {
    jobId: 'bench-train',
    dataset: 'dc-sample',
    step: 'day',
    grid: { rows: 36, cols: 36, bbox: BBOX },
    preset: 'reference',
    epochs: 100,
    lr: 0.001,
    trainTo: '2017-10-02',
    valTo: '2018-10-02',
    maxSeconds: BUSY_SECONDS,
  }).then(
    (v) => ((finished = performance.now()), { ok: true as const, value: v }),
    (e: Error) => ((finished = performance.now()), { ok: false as const, error: e.message }),
  );
  // Let the job start (the worker loads the history and builds the network) before sampling.
  await sleep(2000);
  const busy: number[] = [];
  while (finished === null && performance.now() - t0 < (BUSY_SECONDS + 5) * 1000) {
    busy.push(await timedList());
    await sleep(INTERVAL_MS);
  }
  if (finished === null) await call('jobs.cancel', { jobId: 'bench-train' });
  const outcome = await training;
  const [l1, l5] = loadavg();
  console.log(
    JSON.stringify({
      call: 'datasets.list over HTTP (web host in its own process)',
      training:
        'train.run, reference preset, DC sample 36×36 daily, train to 2017-10-02, validate to 2018-10-02',
      idle: summarise(idle),
      whileTraining: summarise(busy),
      /** From train.run to its answer (the job is cancelled after --seconds + 5 s if still running). */
      jobSeconds: Math.round(((finished ?? performance.now()) - t0) / 100) / 10,
      trainingResult: outcome.ok ? 'finished' : outcome.error,
      target: { medianMs: 100 },
      load: { one: Math.round(l1 * 10) / 10, five: Math.round(l5 * 10) / 10 },
    }),
  );
} finally {
  await web.stop();
}
