/**
 * Trains the network on samples cut from one feature source: seeded shuffles, Adam, early stopping
 * on validation (Poisson deviance of the expected counts by default; hit rate at 5 % or loss), the learning rate halved on a plateau, and the best
 * epoch's weights kept. Epoch 0 (before any step) is scored too: the default preset starts at the
 * decayed-KDE ranking, so training can only replace it with something validation prefers.
 */
import { adam } from '../../engine/optimizers/adam.ts';
import { referenceModel, REFERENCE_INPUT } from '../../engine/presets/reference.ts';
import { binaryCrossEntropyWithLogits } from '../../engine/losses/index.ts';
import type { GraphSpec } from '../../engine/runtime/compile.ts';
import { Trainer } from '../../engine/runtime/trainer.ts';
import type { ProgressFn } from '../../../shared/types.ts';
import { mulberry32 } from '../../../shared/random.ts';
import type { NeuralConfig } from './config.ts';
import { makeBatch, offsetChannel, staticChannelCount, type Batch, type FeatureSource } from './features.ts';
import { defaultNet, makeLoss, riskToRate, SEQ_INPUT, STAT_INPUT, usesTopMask } from './net.ts';
import { baselineChannel, topMask } from './topcells.ts';
import { atConfigLevel, levelFactor } from './level.ts';
import { poissonDeviance } from '../../evaluate/probabilistic.ts';
import { loadLoop, saveLoop, type RunCheckpointing } from './resume.ts';
import { flaggedCount, rankCells, studyCellsOf } from '../../evaluate/metrics.ts';

export interface TrainOutcome {
  epochs: number;
  bestEpoch: number;
  /** Validation score of the kept weights, and of epoch 0. */
  valHitRate5: number;
  valHitRate1: number;
  initialValHitRate5: number;
  valLoss: number;
  /** Next-event type head on validation cells with events: accuracy (argmax = the cell's majority type) and log-loss. */
  valTypeAccuracy: number;
  valTypeLogLoss: number;
  trainLosses: number[];
  valHistory: {
    epoch: number;
    loss: number;
    hitRate1: number;
    hitRate5: number;
    /** Mean Poisson deviance per study cell-step of the expected counts. */
    deviance: number;
    /** The same at the level calibration gives (what early stopping watches when calibrating). */
    calibratedDeviance?: number;
    lr: number;
  }[];
  /** Validation deviance of the kept weights (before calibration) and of epoch 0. */
  valDeviance: number;
  initialValDeviance: number;
  /** Factor applied to the expected counts by calibration or by `level=calendar` (1 when off). */
  calibration: number;
  /**
   * Validation deviance as early stopping watched it (at the calibrated level when calibrating), of the
   * kept weights and of epoch 0: what `tune` minimises by default.
   */
  valWatchedDeviance: number;
  initialValWatchedDeviance: number;
  seconds: number;
  stoppedBy: 'patience' | 'epochs' | 'time' | 'cancelled';
  /** Epochs a resumed run found done in its checkpoint (absent for a run started afresh). */
  resumedFromEpoch?: number;
  /**
   * Epochs then trained on the training and validation steps together (config `refit`; absent or 0:
   * none). The validation scores above are those of the weights before it.
   */
  refitEpochs?: number;
}

/**
 * The validation deviance of the kept weights and of epoch 0 at the level the forecasts use (the
 * calibrated level, or the calendar's with `level=calendar|step`): what early stopping watched, and
 * what is reported. Without validation, the raw figures (NaN).
 */
export function reportedDeviance(o: TrainOutcome): { valDeviance: number; initialValDeviance: number } {
  return Number.isFinite(o.valWatchedDeviance)
    ? { valDeviance: o.valWatchedDeviance, initialValDeviance: o.initialValWatchedDeviance }
    : { valDeviance: o.valDeviance, initialValDeviance: o.initialValDeviance };
}

export function graphSpec(c: NeuralConfig, src: FeatureSource): GraphSpec {
  const { types, rows, cols } = src.tensor;
  const b = c.batch;
  if (c.preset === 'reference') {
    return {
      model: referenceModel(types, c.hidden),
      loss: (logits, target) => binaryCrossEntropyWithLogits(logits, target, { posWeight: c.posWeight }),
      inputShapes: { [REFERENCE_INPUT]: [b, types, c.features.lags, rows, cols] },
      targetShape: [b, 1, rows, cols],
    };
  }
  const s = staticChannelCount(c.features);
  return {
    model: defaultNet({
      types,
      staticChannels: s,
      hidden: c.hidden,
      layers: c.layers,
      kernel: c.kernel,
      head: c.head,
    }),
    loss: makeLoss({
      risk: c.loss,
      posWeight: c.posWeight,
      typeWeight: c.typeWeight,
      types,
      topWeight: c.topWeight,
      rankWeight: c.rankWeight,
    }),
    inputShapes: { [SEQ_INPUT]: [b, types, c.features.lags, rows, cols], [STAT_INPUT]: [b, s, rows, cols] },
    targetShape: [b, 2 + types + (usesTopMask(c) ? 1 : 0), rows, cols],
  };
}

export function makeTrainer(c: NeuralConfig, src: FeatureSource): Trainer {
  return new Trainer({
    ...graphSpec(c, src),
    optimizer: adam({ lr: c.lr }),
    seed: c.seed,
    threads: c.threads,
  });
}

/** Model inputs (and target) for the trainer, padded to the trainer's batch size with empty samples. */
export function trainerBatch(c: NeuralConfig, b: Batch, padTo: number): Record<string, Float32Array> {
  const pad = (a: Float32Array) => {
    if (b.n === padTo) return a;
    const out = new Float32Array((a.length / b.n) * padTo);
    out.set(a);
    return out;
  };
  if (c.preset === 'reference') return { [REFERENCE_INPUT]: pad(b.seq), target: pad(b.indicator) };
  const cells = b.indicator.length / b.n;
  const k = b.typeShare.length / b.indicator.length;
  const top = usesTopMask(c);
  const per = (2 + k + (top ? 1 : 0)) * cells;
  const stat = b.stat.length / b.n;
  const bg = baselineChannel(c.features) * cells;
  const target = new Float32Array(b.n * per);
  for (let i = 0; i < b.n; i++) {
    const o = i * per;
    target.set(b.indicator.subarray(i * cells, (i + 1) * cells), o);
    target.set(b.counts.subarray(i * cells, (i + 1) * cells), o + cells);
    target.set(b.typeShare.subarray(i * k * cells, (i + 1) * k * cells), o + 2 * cells);
    if (top) topMask(b.stat, i * stat + bg, cells, c.topFrac, target, o + (2 + k) * cells);
  }
  return { [SEQ_INPUT]: pad(b.seq), [STAT_INPUT]: pad(b.stat), target: pad(target) };
}

/**
 * Starts the default network at the baseline: the recurrent branch's output layer at zero, the
 * shortcut reading the first decayed-KDE channel, its bias at the base rate.
 */
export function initAtBaseline(
  trainer: Trainer,
  c: NeuralConfig,
  src: FeatureSource,
  trainTargets: number[],
): void {
  if (c.preset !== 'default') return;
  const w = trainer.getWeights();
  const zero = (name: string) => {
    const v = w.get(name);
    if (v) trainer.setWeights({ [name]: new Float32Array(v.length) });
  };
  zero('out.weight');
  zero('out.bias');
  const sw = w.get('short.weight');
  if (!sw) return;
  const init = new Float32Array(sw.length);
  if (c.features.offset) {
    // The calendar baseline's log expected count, as is: the network learns residuals on top of it.
    init[offsetChannel(c.features)] = 1;
    trainer.setWeights({ 'short.weight': init, 'short.bias': Float32Array.of(0) });
    return;
  }
  if (c.features.kdeTaus.length + c.features.windows.length > 0) init[baselineChannel(c.features)] = 1;
  let events = 0;
  let cellSteps = 0;
  const { rows, cols } = src.tensor;
  const cells = rows * cols;
  const total = new Float32Array(cells);
  for (const t of trainTargets) {
    if (t >= src.tensor.steps) continue;
    let withEvent = 0;
    src.tensor.events.total(t, total);
    for (let i = 0; i < cells; i++) {
      const v = total[i];
      events += v;
      if (v > 0) withEvent++;
    }
    cellSteps += c.loss === 'bce' ? withEvent : 0;
  }
  const n = Math.max(1, trainTargets.length * cells);
  const rate = Math.max(1e-6, (c.loss === 'bce' ? cellSteps : events) / n);
  // The shortcut's input is log1p(kde/mean), about log 2 on an average cell: subtract that.
  const bias = (c.loss === 'bce' ? Math.log(rate / (1 - Math.min(rate, 0.5))) : Math.log(rate)) - Math.LN2;
  trainer.setWeights({ 'short.weight': init, 'short.bias': Float32Array.of(bias) });
}

/**
 * When early stopping keeps the untrained network (epoch 0 of a fresh model), its type head is still
 * at its uniform start (zero weights, equal biases) and would give every cell 1/3 per type. Its bias
 * then takes the training targets' type mix instead, the best constant prediction. Only the type
 * channels change, so the risk ranking early stopping chose is kept exactly (starting the head at the
 * mix instead changes the training path); a head that has been trained (a fine-tune's parent) is
 * left alone.
 */
export function typeHeadAtMix(
  trainer: Trainer,
  c: NeuralConfig,
  src: FeatureSource,
  targets: number[],
): void {
  if (c.preset !== 'default') return;
  const w = trainer.getWeights();
  const bias = w.get('out.bias');
  const weight = w.get('out.weight');
  const { types, rows, cols, steps, events: ev } = src.tensor;
  if (!bias || !weight || bias.length !== 1 + types) return;
  const perChannel = weight.length / (1 + types);
  const untrained =
    weight.subarray(perChannel).every((v) => v === 0) && bias.subarray(1).every((v) => v === bias[1]);
  if (!untrained) return;
  const cells = rows * cols;
  const byType = new Float64Array(types);
  const typed = new Float32Array(types * cells);
  for (const t of targets) {
    if (t >= steps) continue;
    ev.typed(t, typed);
    for (let k = 0; k < types; k++) for (let i = 0; i < cells; i++) byType[k] += typed[k * cells + i];
  }
  const events = byType.reduce((a, b) => a + b, 0);
  if (events === 0) return;
  // Softmax of log shares gives the shares back; a type never seen gets a small floor, not −∞.
  for (let k = 0; k < types; k++) bias[1 + k] = Math.log(Math.max(byType[k] / events, 1e-3));
  trainer.setWeights({ 'out.bias': bias });
}

/** Risk channel → expected events per cell, for a batch of outputs [n, C, H, W]. */
export async function predictRates(
  trainer: Trainer,
  c: NeuralConfig,
  src: FeatureSource,
  targets: readonly number[],
): Promise<Float32Array[]> {
  const cells = src.tensor.rows * src.tensor.cols;
  const out: Float32Array[] = [];
  for (let i = 0; i < targets.length; i += c.batch) {
    const chunk = targets.slice(i, i + c.batch);
    const b = makeBatch(src, chunk);
    // One session per batch size: full batches, or all targets when there are fewer than a batch.
    const size = Math.min(c.batch, targets.length);
    const inputs = trainerBatch(c, b, size);
    delete inputs.target;
    const pred = await trainer.predict(inputs);
    const per = pred.length / size;
    for (let j = 0; j < chunk.length; j++) {
      const r = new Float32Array(cells);
      for (let k = 0; k < cells; k++) r[k] = riskToRate(pred[j * per + k], c.loss);
      out.push(r);
    }
  }
  return out;
}

/**
 * The type head on cells with events: log-loss −Σ share·log p per cell, and accuracy of the most
 * probable type against the cell's most frequent type (ties to the first type).
 */
export async function typeMetrics(
  trainer: Trainer,
  c: NeuralConfig,
  src: FeatureSource,
  targets: readonly number[],
): Promise<{ accuracy: number; logLoss: number; cells: number }> {
  const { types, rows, cols } = src.tensor;
  const cells = rows * cols;
  let n = 0;
  let correct = 0;
  let loss = 0;
  for (let i = 0; i < targets.length; i += c.batch) {
    const chunk = targets.slice(i, i + c.batch);
    const size = Math.min(c.batch, targets.length);
    const b = makeBatch(src, chunk);
    const inputs = trainerBatch(c, b, size);
    delete inputs.target;
    const pred = await trainer.predict(inputs);
    const per = pred.length / size;
    for (let j = 0; j < chunk.length; j++) {
      for (let cell = 0; cell < cells; cell++) {
        // Scored on cells with a typed event: an untyped one says nothing about the type head.
        let typed = 0;
        for (let k = 0; k < types; k++) typed += b.typeShare[(j * types + k) * cells + cell];
        if (!b.indicator[j * cells + cell] || typed === 0) continue;
        let m = -Infinity;
        for (let k = 0; k < types; k++) m = Math.max(m, pred[j * per + (1 + k) * cells + cell]);
        let z = 0;
        for (let k = 0; k < types; k++) z += Math.exp(pred[j * per + (1 + k) * cells + cell] - m);
        let bestP = -Infinity;
        let bestShare = -1;
        let argP = 0;
        let argShare = 0;
        for (let k = 0; k < types; k++) {
          const logp = pred[j * per + (1 + k) * cells + cell] - m - Math.log(z);
          const share = b.typeShare[(j * types + k) * cells + cell];
          loss -= share * logp;
          if (logp > bestP) [bestP, argP] = [logp, k];
          if (share > bestShare) [bestShare, argShare] = [share, k];
        }
        if (argP === argShare) correct++;
        n++;
      }
    }
  }
  return { accuracy: n ? correct / n : NaN, logLoss: n ? loss / n : NaN, cells: n };
}

/** Pooled hit rates at 1 % and 5 % over target steps, on the study cells (ties by cell order). */
export function hitRates(
  rates: readonly Float32Array[],
  src: FeatureSource,
  targets: readonly number[],
  study: Uint8Array,
): { hitRate1: number; hitRate5: number } {
  const { rows, cols } = src.tensor;
  const cells = rows * cols;
  const studyCells = studyCellsOf(study.subarray(0, cells));
  const k1 = flaggedCount(studyCells.length, 1);
  const k5 = flaggedCount(studyCells.length, 5);
  let h1 = 0;
  let h5 = 0;
  let total = 0;
  const actual = new Float32Array(cells);
  targets.forEach((t, j) => {
    const order = rankCells(rates[j], studyCells);
    src.tensor.events.total(t, actual);
    order.forEach((cell, rank) => {
      const v = actual[cell];
      total += v;
      if (rank < k1) h1 += v;
      if (rank < k5) h5 += v;
    });
  });
  return { hitRate1: total ? h1 / total : 0, hitRate5: total ? h5 / total : 0 };
}

/** Mean Poisson deviance per study cell-step, and the expected and observed totals, over target steps. */
/** Validation deviance at the level `c.level` gives: one factor over the steps, or each step's own. */
function atCalendarLevelDeviance(
  rates: readonly Float32Array[],
  c: NeuralConfig,
  src: FeatureSource,
  targets: readonly number[],
  study: Uint8Array,
): number {
  if (c.level === 'step')
    return validationDeviance(
      rates.map((r, j) => atConfigLevel(r, c, src, targets[j])),
      src,
      targets,
      study,
    ).deviance;
  const k = levelFactor(
    rates,
    targets.map((t) => src.levelAt?.(t) ?? 0),
  );
  return validationDeviance(rates, src, targets, study, k).deviance;
}

export function validationDeviance(
  rates: readonly Float32Array[],
  src: FeatureSource,
  targets: readonly number[],
  study: Uint8Array,
  scale = 1,
): { deviance: number; expected: number; observed: number } {
  const { types, rows, cols, events: ev } = src.tensor;
  const cells = rows * cols;
  const typed = new Float32Array(types * cells);
  let dev = 0;
  let n = 0;
  let expected = 0;
  let observed = 0;
  targets.forEach((t, j) => {
    const r = rates[j];
    ev.typed(t, typed);
    for (let i = 0; i < cells; i++) {
      if (!study[i]) continue;
      let y = 0;
      for (let k = 0; k < types; k++) y += typed[k * cells + i];
      dev += poissonDeviance(y, scale * r[i]);
      expected += scale * r[i];
      observed += y;
      n++;
    }
  });
  return { deviance: n ? dev / n : NaN, expected, observed };
}

async function validationLoss(
  trainer: Trainer,
  c: NeuralConfig,
  src: FeatureSource,
  targets: number[],
): Promise<number> {
  let sum = 0;
  let n = 0;
  for (let i = 0; i + c.batch <= targets.length; i += c.batch) {
    const b = makeBatch(src, targets.slice(i, i + c.batch));
    sum += (await trainer.evaluate(trainerBatch(c, b, c.batch))).loss;
    n++;
  }
  return n ? sum / n : NaN;
}

export interface TrainOptions {
  trainTargets: number[];
  valTargets: number[];
  /** Study cells for the validation hit rate. */
  study: Uint8Array;
  epochs?: number;
  progress?: ProgressFn;
  signal?: AbortSignal;
  /** Skip early stopping (fine-tuning without validation data). */
  noValidation?: boolean;
  /** Save the loop's state after every epoch (and continue from it when `resume`). */
  checkpoint?: RunCheckpointing;
}

/**
 * The time left of a training loop: the rate so far times the steps left, never more than the time cap
 * leaves (the loop stops there). `etaAtMost` when the loop may end sooner than that: a time cap is set,
 * or early stopping (`patience` epochs without improvement) can end it before the last epoch.
 */
export function trainEta(
  elapsed: number,
  done: number,
  total: number,
  maxSeconds: number,
  earlyStopping: boolean,
): { etaSeconds: number; etaAtMost: boolean } {
  const byRate = done > 0 ? (elapsed / done) * (total - done) : Infinity;
  const capped = maxSeconds > 0 ? Math.min(byRate, Math.max(0, maxSeconds - elapsed)) : byRate;
  return { etaSeconds: capped, etaAtMost: earlyStopping || maxSeconds > 0 };
}

export async function trainNetwork(
  trainer: Trainer,
  c: NeuralConfig,
  src: FeatureSource,
  o: TrainOptions,
): Promise<TrainOutcome> {
  let t0 = performance.now();
  const rand = mulberry32(c.seed * 7919 + 17);
  const epochs = o.epochs ?? c.epochs;
  const batchSize = Math.min(c.batch, o.trainTargets.length);
  const perEpoch = Math.floor(o.trainTargets.length / batchSize);
  const valHistory: TrainOutcome['valHistory'] = [];
  const trainLosses: number[] = [];
  const score = async (epoch: number) => {
    const loss = o.valTargets.length >= c.batch ? await validationLoss(trainer, c, src, o.valTargets) : NaN;
    const rates = o.valTargets.length > 0 ? await predictRates(trainer, c, src, o.valTargets) : [];
    const hr =
      o.valTargets.length > 0 ? hitRates(rates, src, o.valTargets, o.study) : { hitRate1: 0, hitRate5: 0 };
    const dev =
      o.valTargets.length > 0
        ? validationDeviance(rates, src, o.valTargets, o.study)
        : { deviance: NaN, expected: 0, observed: 0 };
    // Deviance is watched at the level calibration will give (one factor, the validation total):
    // a level learned on older years is fixed afterwards, so it should not end training early.
    // Likewise at the calendar's level when the level is held there (level.ts).
    const watched =
      c.calibrate > 0 && o.valTargets.length > 0 && dev.expected > 0
        ? validationDeviance(rates, src, o.valTargets, o.study, dev.observed / dev.expected).deviance
        : c.level !== 'free' && o.valTargets.length > 0
          ? atCalendarLevelDeviance(rates, c, src, o.valTargets, o.study)
          : dev.deviance;
    valHistory.push({
      epoch,
      loss,
      ...hr,
      deviance: dev.deviance,
      calibratedDeviance: watched,
      lr: trainer.lr,
    });
    return c.monitor === 'hr5' ? hr.hitRate5 : c.monitor === 'deviance' ? -watched : -loss;
  };
  const validate = !o.noValidation && o.valTargets.length > 0;
  const ck = o.checkpoint;
  let best: number;
  let bestEpoch = 0;
  let bestWeights: Map<string, Float32Array>;
  let sinceBest = 0;
  let sincePlateau = 0;
  let stoppedBy: TrainOutcome['stoppedBy'] = 'epochs';
  let epoch = 0;
  let firstEpoch = 1;
  let resumedFromEpoch: number | undefined;
  const shuffled = (): number[] => {
    const order = [...o.trainTargets];
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    return order;
  };
  if (ck?.resume) {
    const r = loadLoop(trainer, ck);
    ({ best, bestEpoch, sinceBest, sincePlateau } = r.state);
    bestWeights = r.bestWeights;
    valHistory.push(...r.state.valHistory);
    trainLosses.push(...r.state.trainLosses);
    resumedFromEpoch = r.state.epoch;
    firstEpoch = r.state.epoch + 1;
    // The shuffle generator is restored by drawing the orders of the epochs already done.
    for (let e = 1; e < firstEpoch; e++) shuffled();
    t0 -= r.state.seconds * 1000;
  } else {
    best = validate ? await score(0) : -Infinity;
    bestWeights = trainer.getWeights();
  }
  const checkpoint = (improved: boolean) => {
    if (!ck) return;
    const state = { epoch, best, bestEpoch, sinceBest, sincePlateau, valHistory, trainLosses };
    saveLoop(
      trainer,
      ck,
      { ...state, seconds: (performance.now() - t0) / 1000 },
      improved ? bestWeights : null,
    );
  };
  // Epoch 0 (the starting weights) is a checkpoint too, so even a run killed in its first epoch resumes.
  if (ck && !ck.resume) checkpoint(true);
  const totalSteps = epochs * perEpoch;
  outer: for (epoch = firstEpoch; epoch <= epochs; epoch++) {
    const order = shuffled();
    let sum = 0;
    for (let s = 0; s < perEpoch; s++) {
      if (o.signal?.aborted) {
        stoppedBy = 'cancelled';
        break outer;
      }
      if (c.maxSeconds > 0 && (performance.now() - t0) / 1000 > c.maxSeconds) {
        stoppedBy = 'time';
        break outer;
      }
      const b = makeBatch(src, order.slice(s * batchSize, (s + 1) * batchSize));
      sum += await trainer.step(trainerBatch(c, b, batchSize));
      const done = (epoch - 1) * perEpoch + s + 1;
      const elapsed = (performance.now() - t0) / 1000;
      o.progress?.({
        job: 'train',
        phase: `epoch ${epoch}`,
        done,
        total: totalSteps,
        ...trainEta(elapsed, done, totalSteps, c.maxSeconds, validate && c.patience < epochs - epoch + 1),
        metrics: { loss: sum / (s + 1), valHitRate5: valHistory.at(-1)?.hitRate5 ?? NaN },
      });
    }
    trainLosses.push(sum / Math.max(1, perEpoch));
    if (!validate) {
      bestEpoch = epoch;
      bestWeights = trainer.getWeights();
      checkpoint(true);
      continue;
    }
    const v = await score(epoch);
    if (v > best + 1e-6) {
      best = v;
      bestEpoch = epoch;
      bestWeights = trainer.getWeights();
      sinceBest = 0;
      sincePlateau = 0;
      checkpoint(true);
    } else {
      sinceBest++;
      sincePlateau++;
      if (sincePlateau >= c.plateau) {
        trainer.lr *= c.lrFactor;
        sincePlateau = 0;
      }
      if (sinceBest >= c.patience) {
        stoppedBy = 'patience';
        break;
      }
      checkpoint(false);
    }
  }
  trainer.setWeights(bestWeights);
  if (bestEpoch === 0) typeHeadAtMix(trainer, c, src, o.trainTargets);
  let calibration = 1;
  if (validate && c.calibrate > 0 && c.preset === 'default' && c.loss === 'poisson') {
    const d = validationDeviance(
      await predictRates(trainer, c, src, o.valTargets),
      src,
      o.valTargets,
      o.study,
    );
    if (d.expected > 0 && d.observed > 0) {
      calibration = d.observed / d.expected;
      const b = trainer.getWeights().get('short.bias');
      if (b) trainer.setWeights({ 'short.bias': Float32Array.of(b[0] + Math.log(calibration)) });
    }
  }
  if (validate && c.level === 'calendar' && c.preset === 'default' && c.loss === 'poisson') {
    const rates = await predictRates(trainer, c, src, o.valTargets);
    const k = levelFactor(
      rates,
      o.valTargets.map((t) => src.levelAt?.(t) ?? 0),
    );
    if (k !== 1) {
      calibration = k;
      const b = trainer.getWeights().get('short.bias');
      if (b) trainer.setWeights({ 'short.bias': Float32Array.of(b[0] + Math.log(k)) });
    }
  }
  const kept = valHistory.find((h) => h.epoch === bestEpoch);
  const types = validate && c.preset === 'default' ? await typeMetrics(trainer, c, src, o.valTargets) : null;
  return {
    valTypeAccuracy: types?.accuracy ?? NaN,
    valTypeLogLoss: types?.logLoss ?? NaN,
    epochs: Math.min(epoch, epochs),
    bestEpoch,
    valHitRate5: kept?.hitRate5 ?? NaN,
    valHitRate1: kept?.hitRate1 ?? NaN,
    initialValHitRate5: valHistory[0]?.hitRate5 ?? NaN,
    valLoss: kept?.loss ?? NaN,
    valDeviance: kept?.deviance ?? NaN,
    initialValDeviance: valHistory[0]?.deviance ?? NaN,
    calibration,
    valWatchedDeviance: kept?.calibratedDeviance ?? NaN,
    initialValWatchedDeviance: valHistory[0]?.calibratedDeviance ?? NaN,
    trainLosses,
    valHistory,
    seconds: (performance.now() - t0) / 1000,
    stoppedBy,
    ...(resumedFromEpoch !== undefined ? { resumedFromEpoch } : {}),
  };
}
