/**
 * bench:infer — one-step inference of the default convlstm preset on a 64×64 grid, as `forecast`
 * runs it: the exported standalone .onnx in onnxruntime-node, batch 1. Also times the feature step
 * of such a forecast: the step's input channels built from the history (with the default preset's
 * calendar offset, the calendar baseline's expected counts for the step too).
 *
 *   npm run bench:infer                      # 64×64, default preset, 2 threads
 *   npm run bench:infer -- --rows 36 --cols 36 --reps 50 --threads 1 --preset reference
 *
 * Prints one JSON object: {config, medianMs, minMs, p90Ms, featureMedianMs, onnxBytes, targetMs, loadAverage1m, pass}
 * (the load average says how busy the machine was: on a shared 2-core box the median follows it).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { parseConfig } from '../src/main/forecast/neural/config.ts';
import { ConvLstmForecaster, sourceOf } from '../src/main/forecast/neural/convlstm.ts';
import { makeBatch } from '../src/main/forecast/neural/features.ts';
import { syntheticHistory } from '../src/main/forecast/neural/testing.ts';
import { makeTrainer } from '../src/main/forecast/neural/train-loop.ts';
import type { HistoryView } from '../src/main/forecast/types.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '64' },
    cols: { type: 'string', default: '64' },
    reps: { type: 'string', default: '50' },
    threads: { type: 'string', default: '2' },
    preset: { type: 'string', default: 'default' },
    steps: { type: 'string', default: '400' },
  },
});
const rows = Number(values.rows);
const cols = Number(values.cols);
const reps = Number(values.reps);
const threads = Number(values.threads);
const config = { ...parseConfig({ preset: values.preset as string }), threads };
const h = syntheticHistory(Number(values.steps), rows, cols, 1);
const model = new ConvLstmForecaster(config);
// The source a forecast builds for the step after the history (registered.ts does the same).
const src = sourceOf(h, config, h.steps);
const trainer = makeTrainer(config, src);
const path = join(mkdtempSync(join(tmpdir(), 'shotcast-infer-')), 'model.onnx');
trainer.exportInference(path, { probability: false });
await trainer.dispose();
await model.dispose();

const bytes = readFileSync(path);
const session = await InferenceSession.create(bytes, {
  intraOpNumThreads: threads,
  interOpNumThreads: 1,
  extra: { session: { intra_op: { allow_spinning: '0' } } },
});
const b = makeBatch(src, [h.steps]);
const cells = rows * cols;
const feeds: Record<string, Tensor> =
  config.preset === 'reference'
    ? { events: new Tensor('float32', b.seq, [1, 3, config.features.lags, rows, cols]) }
    : {
        seq: new Tensor('float32', b.seq, [1, 3, config.features.lags, rows, cols]),
        stat: new Tensor('float32', b.stat, [1, b.stat.length / cells, rows, cols]),
      };
for (let i = 0; i < 5; i++) await session.run(feeds);
const times: number[] = [];
for (let i = 0; i < reps; i++) {
  const t0 = performance.now();
  await session.run(feeds);
  times.push(performance.now() - t0);
}
// The feature step of a forecast, for each of the last 20 steps: the history up to it, its source, its batch.
const upTo = (n: number): HistoryView => ({ ...h, steps: n, excluded: h.excluded.subarray(0, n) });
const ftimes: number[] = [];
for (let n = h.steps - 20; n <= h.steps; n++) {
  const t0 = performance.now();
  makeBatch(sourceOf(upTo(n), config, n), [n]);
  ftimes.push(performance.now() - t0);
}
await session.release();
const sorted = [...times].sort((a, c) => a - c);
const median = (v: number[]) => {
  const s = [...v].sort((a, c) => a - c);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const medianMs = median(times);
console.log(
  JSON.stringify({
    config: {
      rows,
      cols,
      preset: config.preset,
      hidden: config.hidden,
      lags: config.features.lags,
      threads,
      reps,
    },
    medianMs: +medianMs.toFixed(3),
    minMs: +sorted[0].toFixed(3),
    p90Ms: +sorted[Math.floor(0.9 * (sorted.length - 1))].toFixed(3),
    featureMedianMs: +median(ftimes).toFixed(3),
    onnxBytes: bytes.length,
    targetMs: 10,
    loadAverage1m: +loadavg()[0].toFixed(2),
    pass: medianMs < 10,
  }),
);
