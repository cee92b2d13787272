import { afterEach, describe, expect, it, vi } from 'vitest';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDb } from '../../main/db/connection.ts';
import { listModels } from '../../main/db/queries/models.ts';
import { readCheckpoint } from '../../main/engine/runtime/checkpoint.ts';
import { savedCheckpointEpoch } from '../../main/networks/testing.ts';
import { runCli } from '../run.ts';

/**
 * Registered models are immutable (their files live in the database's model folder, named by id and
 * hash; --out gets a copy and may not name a registered file; a changed or missing file is refused),
 * and a killed training run, in training or in its refit, resumes to the weights an uninterrupted run
 * ends with.
 */

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SAMPLE = join(REPO, 'resources/data/dc_mpd_2014-2018_normalized.csv');
const ENTRY = join(REPO, 'src/cli/main.ts');
const TSX = import.meta.resolve('tsx');
const GRID = ['--bbox', '38.81,-77.05,38.97,-76.90', '--rows', '12', '--cols', '12', '--step', 'day'];
const SPLIT = ['--train-to', '2018-01-01', '--val-to', '2018-03-01'];
// The network without the calendar offset, at its former learning rate: these tests are about files
// and resuming, and need an epoch after the resume to be the best one.
const TINY =
  'hidden=4,head=4,lags=3,batch=4,patience=10,threads=1,taus=30/90,windows=7/28,monitor=loss,offset=0,lr=0.001';

afterEach(() => vi.restoreAllMocks());

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  const code = await runCli(args);
  vi.restoreAllMocks();
  return { code, out: out.join(''), err: err.join('') };
}

async function sampleDb(): Promise<string> {
  const db = join(mkdtempSync(join(tmpdir(), 'shotcast-models-')), 'dc.sqlite');
  expect((await cli(['import', SAMPLE, '--db', db, '--dataset', 'dc'])).code).toBe(0);
  return db;
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

interface TrainJson {
  modelId: number;
  onnx: { path: string; sha256: string };
  checkpoint: string;
  out?: string;
  resumedFromEpoch?: number;
}

describe('immutable models', () => {
  it('keeps model files in the model folder, exports a copy, refuses --out onto a registered file, and never uses a changed or missing one', async () => {
    const db = await sampleDb();
    const out = join(dirname(db), 'exported.onnx');
    const r = await cli([
      'train',
      '--db',
      db,
      '--dataset',
      'dc',
      ...GRID,
      '--model',
      `convlstm:${TINY},epochs=1`,
      ...SPLIT,
      '--out',
      out,
      '--json',
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const m = JSON.parse(r.out) as TrainJson;
    const folder = join(dirname(db), 'dc-models');
    expect(m.onnx.path).toBe(join(folder, `${m.modelId}-${m.onnx.sha256.slice(0, 16)}.onnx`));
    expect(m.checkpoint).toBe(join(folder, `${m.modelId}-${m.onnx.sha256.slice(0, 16)}.ckpt`));
    expect(sha(m.onnx.path)).toBe(m.onnx.sha256);
    expect(m.out).toBe(out);
    expect(sha(out)).toBe(m.onnx.sha256);

    // --out onto the registered model's files: refused before any training, the files untouched.
    for (const target of [m.onnx.path, m.checkpoint]) {
      const before = sha(target);
      const again = await cli([
        'train',
        '--db',
        db,
        '--dataset',
        'dc',
        ...GRID,
        '--model',
        `convlstm:${TINY},epochs=1`,
        ...SPLIT,
        '--out',
        target,
      ]);
      expect(again.code).toBe(2);
      expect(again.err).toMatch(new RegExp(`is the file of registered model ${m.modelId}`));
      expect(sha(target)).toBe(before);
    }
    const h = openDb(db);
    expect(listModels(h, 1)).toHaveLength(1);
    h.close();

    // A changed file is reported and not used; so is a missing one.
    const forecast = [
      'forecast',
      '--db',
      db,
      '--dataset',
      'dc',
      '--at',
      '2017-03-01',
      '--model',
      String(m.modelId),
    ];
    expect((await cli(forecast)).code).toBe(0);
    const bytes = readFileSync(m.onnx.path);
    const changed = Buffer.from(bytes);
    changed[changed.length - 1] ^= 0xff;
    writeFileSync(m.onnx.path, changed);
    const c = await cli(forecast);
    expect(c.code).toBe(1);
    expect(c.err).toMatch(/its ONNX file has changed since it was registered.*will not be used/);
    rmSync(m.onnx.path);
    const gone = await cli(forecast);
    expect(gone.code).toBe(1);
    expect(gone.err).toMatch(/its ONNX file is missing/);
    expect(gone.err).not.toMatch(/internal/);
  }, 240_000);
});

/** Runs `shotcast train` as its own process; resolves with its JSON, or kills it once `kill` says so. */
function trainProcess(
  args: string[],
  kill?: () => boolean,
): Promise<{ code: number | null; signal: string | null; out: string; err: string }> {
  return new Promise((ok) => {
    // The CLI's entry itself, not bin/shotcast.js: that wrapper runs it as a child, which a SIGKILL of
    // the wrapper would leave running.
    const child = spawn(process.execPath, ['--import', TSX, ENTRY, 'train', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c));
    child.stderr.on('data', (c: Buffer) => (err += c));
    const timer = kill
      ? setInterval(() => {
          if (kill()) child.kill('SIGKILL');
        }, 10)
      : null;
    child.on('exit', (code, signal) => {
      if (timer) clearInterval(timer);
      ok({ code, signal, out, err });
    });
  });
}

const checkpointEpoch = (db: string) => savedCheckpointEpoch(join(dirname(db), 'dc-models', 'runs'));

describe('training resumes', () => {
  it('a run killed (SIGKILL) mid-training or mid-refit resumes to the uninterrupted weights and registers one model', async () => {
    // Four epochs, then two more on the training and validation steps together (the refit, which is
    // not checkpointed: a resumed run repeats the training phase's end from its checkpoint, then refits).
    const model = ['--model', `convlstm:${TINY},epochs=4,refit=2`];
    const args = (db: string) => ['--db', db, '--dataset', 'dc', ...GRID, ...model, ...SPLIT, '--json'];
    const dbWhole = await sampleDb();
    const whole = await trainProcess(args(dbWhole));
    expect(whole.code).toBe(0);
    const w = JSON.parse(whole.out) as TrainJson & { metrics: { refitEpochs?: number } };
    expect(w.resumedFromEpoch).toBeUndefined();
    expect(w.metrics.refitEpochs).toBe(2);
    const wholeWeights = readCheckpoint(w.checkpoint).tensors;

    // Killed after epoch 2 of 4; and once epoch 4's checkpoint is written, that is, in the refit.
    for (const killAt of [2, 4]) {
      const dbKilled = await sampleDb();
      const killed = await trainProcess(args(dbKilled), () => checkpointEpoch(dbKilled) >= killAt);
      expect(killed.signal).toBe('SIGKILL');
      expect(checkpointEpoch(dbKilled)).toBe(killAt);
      let h = openDb(dbKilled);
      expect(listModels(h, 1)).toHaveLength(0);
      h.close();
      const keptAtKill = killAt === 4 ? runBestWeights(dbKilled) : null;

      const resumed = await trainProcess([...args(dbKilled), '--resume']);
      expect(resumed.err).toBe('');
      expect(resumed.code).toBe(0);
      const r = JSON.parse(resumed.out) as TrainJson & {
        metrics: { epochs: number; bestEpoch: number; refitEpochs?: number };
      };
      expect(r.resumedFromEpoch).toBe(killAt);
      expect(r.metrics.epochs).toBe(4);
      expect(r.metrics.refitEpochs).toBe(2);
      // After the kill at epoch 2 the kept weights come from a later epoch, so they depend on the
      // restored state.
      if (killAt === 2) expect(r.metrics.bestEpoch).toBeGreaterThan(2);

      const a = readCheckpoint(r.checkpoint).tensors;
      expect([...a.keys()].sort()).toEqual([...wholeWeights.keys()].sort());
      expect(maxAbsDiff(a, wholeWeights)).toBeLessThan(1e-5);
      // The refit moved the weights away from the kept epoch's, so matching means it was repeated.
      if (keptAtKill) expect(maxAbsDiff(keptAtKill, a)).toBeGreaterThan(1e-3);

      h = openDb(dbKilled);
      expect(listModels(h, 1)).toHaveLength(1);
      h.close();
      // The run's checkpoint goes once its model is registered; a second --resume has nothing to continue.
      expect(checkpointEpoch(dbKilled)).toBe(-1);
      if (killAt === 4) {
        const again = await trainProcess([...args(dbKilled), '--resume']);
        expect(again.code).toBe(1);
        expect(again.err).toMatch(/no interrupted run with these arguments to resume/);
      }
    }
  }, 600_000);
});

/** The best weights a run's checkpoint keeps beside it (`<run>.ckpt.best`). */
function runBestWeights(db: string): Map<string, Float32Array> {
  const runs = join(dirname(db), 'dc-models', 'runs');
  const file = readdirSync(runs).find((f) => f.endsWith('.ckpt'))!;
  return readCheckpoint(join(runs, `${file}.best`)).tensors;
}

/** The largest difference between two weight sets, over the tensors the first one has. */
function maxAbsDiff(a: ReadonlyMap<string, Float32Array>, b: ReadonlyMap<string, Float32Array>): number {
  let d = 0;
  for (const [name, va] of a) {
    const vb = b.get(name)!;
    expect(vb.length).toBe(va.length);
    for (let i = 0; i < va.length; i++) d = Math.max(d, Math.abs(va[i] - vb[i]));
  }
  return d;
}
