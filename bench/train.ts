/**
 * bench:train — one fused training step of the reference architecture (presets/reference.ts), timed
 * against PyTorch's (bench/torch_reference.py) in the same run. Each side runs in its own
 * child process so each peak RSS is its own.
 *
 *   npm run bench:train                 # batch 20 and batch 8, 36×36, T=7, 2 intra-op threads
 *   npm run bench:train -- --batch 20   # one configuration
 *   options: --reps 8 --threads 2 --rows 36 --cols 36 --steps 7 --no-torch
 *            --spinning (ORT intra-op spinning on; off by default, which suits a busy machine)
 *            --profile (ORT's profiler on; adds `profile`: the last step's kernel time by op type and its
 *            slowest nodes with shapes. Profiling itself costs a little time, so leave it off for figures)
 *
 * Prints one JSON object per configuration:
 *   {config, medianMs, minMs, gflopPerStep, gflops, peakRssMB, compileMs, torch: {medianMs, minMs, peakRssMB, ratios},
 *    loadAvg1m: [before ours, before torch, after]}
 * where gflopPerStep counts convolution FLOPs (forward, input gradient except for the data input, weight
 * gradient: 2 FLOPs per multiply-add) and ratios are ours ÷ PyTorch's.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withHugePages } from '../bin/hugepages.js';
import { Graph } from '../src/main/engine/onnx/graph.ts';
import { attrInts } from '../src/main/engine/onnx/graph.ts';
import { makeCtx } from '../src/main/engine/runtime/compile.ts';
import { Rng } from '../src/main/engine/runtime/rng.ts';
import { Trainer } from '../src/main/engine/runtime/trainer.ts';
import { REFERENCE_INPUT, referencePreset } from '../src/main/engine/presets/reference.ts';
import { summariseOrtProfile, type OrtProfileSummary } from './ort-profile.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TORCH_SCRIPT = resolve(repoRoot, 'bench/torch_reference.py');
const PYTHON = '/usr/bin/python3';

interface Args {
  batches: number[];
  reps: number;
  threads: number;
  rows: number;
  cols: number;
  steps: number;
  torch: boolean;
  child: boolean;
  spinning: boolean;
  profile: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    batches: [20, 8],
    reps: 8,
    threads: 2,
    rows: 36,
    cols: 36,
    steps: 7,
    torch: true,
    child: false,
    spinning: false,
    profile: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const num = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 1)
        throw new Error(`bench:train: ${k} needs a positive integer, got '${argv[i]}'`);
      return v;
    };
    if (k === '--batch') a.batches = [num()];
    else if (k === '--reps') a.reps = num();
    else if (k === '--threads') a.threads = num();
    else if (k === '--rows') a.rows = num();
    else if (k === '--cols') a.cols = num();
    else if (k === '--steps') a.steps = num();
    else if (k === '--no-torch') a.torch = false;
    else if (k === '--child') a.child = true;
    else if (k === '--spinning') a.spinning = true;
    else if (k === '--profile') a.profile = true;
    else throw new Error(`bench:train: unknown option '${k}'`);
  }
  return a;
}

/** Conv FLOPs of one training step: forward, input gradient (not for the data input), weight gradient. */
function convGflopPerStep(batch: number, a: Args): number {
  const spec = referencePreset({ batch, steps: a.steps, rows: a.rows, cols: a.cols });
  const g = new Graph('count');
  const x = g.input(REFERENCE_INPUT, 'float32', spec.inputShapes[REFERENCE_INPUT]);
  spec.model.forward(makeCtx(g, spec.model, true).ctx, { [REFERENCE_INPUT]: x });
  let flops = 0;
  for (const n of g.nodes) {
    if (n.op !== 'Conv') continue;
    const [xin, w] = n.inputs;
    if (!xin || !w) continue;
    const k = (attrInts(n, 'kernel_shape') ?? w.shape.slice(2)).reduce((p, q) => p * q, 1);
    const fwd = 2 * n.outputs[0].size * w.shape[1] * k;
    flops += fwd * (xin === x ? 2 : 3);
  }
  return flops / 1e9;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round1 = (v: number): number => Math.round(v * 10) / 10;

async function runOurs(batch: number, a: Args): Promise<Record<string, unknown>> {
  const spec = referencePreset({ batch, steps: a.steps, rows: a.rows, cols: a.cols });
  const profileDir = a.profile ? mkdtempSync(join(tmpdir(), 'shotcast-prof-')) : null;
  const trainer = new Trainer({
    ...spec,
    seed: 0,
    threads: a.threads,
    session: { spinning: a.spinning, profilePrefix: profileDir ? join(profileDir, 'step') : undefined },
  });
  const rng = new Rng(1);
  const x = new Float32Array(batch * 3 * a.steps * a.rows * a.cols).map(() => (rng.next() < 0.02 ? 1 : 0));
  const y = new Float32Array(batch * a.rows * a.cols).map(() => (rng.next() < 0.02 ? 1 : 0));
  const c0 = performance.now();
  await trainer.prepare(batch);
  const compileMs = performance.now() - c0;
  const times: number[] = [];
  let loss = 0;
  for (let r = 0; r < a.reps + 2; r++) {
    const t0 = performance.now();
    loss = await trainer.step({ [REFERENCE_INPUT]: x, target: y });
    if (r >= 2) times.push(performance.now() - t0);
  }
  await trainer.dispose();
  // Releasing the session writes the profile; its last run is a steady-state step.
  let profile: OrtProfileSummary | undefined;
  if (profileDir) {
    const file = readdirSync(profileDir).find((f) => f.endsWith('.json'));
    if (!file) throw new Error(`bench:train: onnxruntime wrote no profile in ${profileDir}`);
    profile = summariseOrtProfile(join(profileDir, file));
    rmSync(profileDir, { recursive: true, force: true });
  }
  return {
    ...(profile ? { profile } : {}),
    stepMs: times.map(round1),
    medianMs: round1(median(times)),
    minMs: round1(Math.min(...times)),
    compileMs: Math.round(compileMs),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    loss: Math.round(loss * 1e5) / 1e5,
  };
}

function torchAvailable(): boolean {
  if (!existsSync(PYTHON) || !existsSync(TORCH_SCRIPT)) return false;
  try {
    execFileSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function childJson(cmd: string, args: string[], env = process.env): Record<string, unknown> {
  const r = spawnSync(cmd, args, { cwd: repoRoot, encoding: 'utf8', maxBuffer: 16 << 20, env });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.trim().split('\n').pop()}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as Record<string, unknown>;
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  if (a.child) {
    console.log(JSON.stringify(await runOurs(a.batches[0], a)));
    return;
  }
  const withTorch = a.torch && torchAvailable();
  const common = [
    '--reps',
    `${a.reps}`,
    '--threads',
    `${a.threads}`,
    '--rows',
    `${a.rows}`,
    '--cols',
    `${a.cols}`,
    '--steps',
    `${a.steps}`,
  ];
  for (const batch of a.batches) {
    // The machine is shared: the 1-minute load average before each side and at the end goes with the figures.
    const load: number[] = [loadavg()[0]];
    const ours = childJson(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(import.meta.url),
        '--child',
        '--batch',
        `${batch}`,
        ...common,
        // The child builds the session, so it must see the flag too (it was dropped before).
        ...(a.spinning ? ['--spinning'] : []),
        ...(a.profile ? ['--profile'] : []),
        // Ours runs as the shotcast launchers start it (bin/hugepages.js); PyTorch as its script does.
      ],
      withHugePages(),
    );
    const gflopPerStep = convGflopPerStep(batch, a);
    const out: Record<string, unknown> = {
      config: {
        batch,
        steps: a.steps,
        rows: a.rows,
        cols: a.cols,
        threads: a.threads,
        reps: a.reps,
        spinning: a.spinning,
      },
      medianMs: ours.medianMs,
      minMs: ours.minMs,
      gflopPerStep: Math.round(gflopPerStep * 100) / 100,
      gflops: round1(gflopPerStep / ((ours.medianMs as number) / 1000)),
      peakRssMB: ours.peakRssMB,
      compileMs: ours.compileMs,
      stepMs: ours.stepMs,
      loss: ours.loss,
      ...(ours.profile ? { profile: ours.profile } : {}),
    };
    if (withTorch) {
      load.push(loadavg()[0]);
      const t = childJson(PYTHON, [TORCH_SCRIPT, '--batch', `${batch}`, ...common]);
      const ratio = (k: 'medianMs' | 'minMs' | 'peakRssMB'): number =>
        Math.round(((ours[k] as number) / (t[k] as number)) * 1000) / 1000;
      out.torch = {
        framework: t.framework,
        medianMs: t.medianMs,
        minMs: t.minMs,
        peakRssMB: t.peakRssMB,
        stepMs: t.stepMs,
        ratios: { medianMs: ratio('medianMs'), minMs: ratio('minMs'), peakRssMB: ratio('peakRssMB') },
      };
    } else out.torch = null;
    load.push(loadavg()[0]);
    out.loadAvg1m = load.map((v) => Math.round(v * 100) / 100);
    console.log(JSON.stringify(out));
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
