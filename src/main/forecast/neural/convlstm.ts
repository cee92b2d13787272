/**
 * The `convlstm` forecaster: a ConvLSTM trained by the engine inside the evaluation framework. The
 * first fit trains on everything before the last year of the history and validates on that year
 * (early stopping); later fits (the evaluation cadence) fine-tune on the new steps when asked.
 * Predictions always read the latest history, so a model fitted once still sees today's data.
 */
import type { RunCheckpointing } from './resume.ts';
import { isoLocal, stepDays } from '../../grid/time.ts';
import { calendar, calendarTotals, type CalendarModel } from '../classical/calendar.ts';
import type { Trainer } from '../../engine/runtime/trainer.ts';
import type { FitContext, FitReport, Forecaster, HistoryView, Params, TypeForecast } from '../types.ts';
import { anchorRates, decayedCounts, trailingCounts } from './anchor.ts';
import { atConfigLevel } from './level.ts';
import { calendarParams, configParams, parseConfig, type NeuralConfig } from './config.ts';
import {
  BackgroundState,
  featureSource,
  featureSourceAtEnd,
  makeBatch,
  OFFSET_TAU_DAYS,
  type CountTensor,
  type FeatureOptions,
  type FeatureSource,
} from './features.ts';
import {
  initAtBaseline,
  makeTrainer,
  predictRates,
  reportedDeviance,
  trainerBatch,
  trainNetwork,
  type TrainOutcome,
} from './train-loop.ts';

const YEAR_MS = 365 * 86_400_000;

/** The history as the feature builder wants it, with local step starts up to and including step `steps`. */
export function sourceOf(h: HistoryView, c: NeuralConfig, from = 0): FeatureSource {
  const tensor = tensorOf(h);
  const o = featureOptionsOf(h, c);
  if (!o.offset) return featureSource(tensor, stepStartOf(h), o, from);
  // The calendar offset's level: the calendar model's expected total for each target step.
  const totals = calendarTotals(h, from, h.steps, calendarParams(c));
  return featureSource(tensor, stepStartOf(h), o, from, (t) => totals[t - from]);
}

/** The config's feature options, with the offset KDE's time constant in steps of h. */
export function featureOptionsOf(h: HistoryView, c: NeuralConfig): FeatureOptions {
  return c.features.offset ? { ...c.features, offsetTau: OFFSET_TAU_DAYS / stepDays(h.step) } : c.features;
}

export function tensorOf(h: HistoryView): CountTensor {
  return {
    events: h.events,
    steps: h.steps,
    types: h.types.length,
    rows: h.grid.rows,
    cols: h.grid.cols,
    excluded: h.excluded,
  };
}

export const stepStartOf =
  (h: HistoryView) =>
  (i: number): string =>
    isoLocal(h.tz, h.stepStartMs(i));

/** Cells with at least one event (typed or not) in steps before `upTo`. */
export function seenCells(src: FeatureSource, upTo: number): Uint8Array {
  const { rows, cols } = src.tensor;
  const cells = rows * cols;
  const mask = new Uint8Array(cells);
  // Every entry of the sparse total is a cell with at least one event.
  for (let s = 0; s < upTo; s++)
    src.tensor.events.forEachTotal(s, (i) => {
      mask[i] = 1;
    });
  return mask;
}

/** Index of the first step that starts within a year of the end of h. */
function lastYearStart(h: HistoryView): number {
  const end = h.stepStartMs(h.steps);
  let i = h.steps;
  while (i > 0 && h.stepStartMs(i - 1) >= end - YEAR_MS) i--;
  return i;
}

/** Index of the first step that starts at least `days` days after the first step of h. */
function warmupEnd(h: HistoryView, days: number): number {
  const start = h.stepStartMs(0) + days * 86_400_000;
  let i = 0;
  while (i < h.steps && h.stepStartMs(i) < start) i++;
  return i;
}

/** Index of the first step of the validation period: one year (or valSteps) before the end. */
export function validationStart(h: HistoryView, c: NeuralConfig): number {
  if (c.valSteps > 0) return Math.max(0, h.steps - c.valSteps);
  return lastYearStart(h);
}

export type { TypeForecast } from '../types.ts';

export class ConvLstmForecaster implements Forecaster {
  readonly name = 'convlstm';
  readonly params: Params;
  trainer: Trainer | null = null;
  lastOutcome: TrainOutcome | null = null;
  /** Set by a training job so the first fit saves (and may resume from) per-epoch checkpoints. */
  checkpointing: RunCheckpointing | null = null;
  private fittedSteps = 0;
  /** Mean events per step over the year before the first fit (what calibration matched), or 0. */
  private fitLevel = 0;
  /** Running background sums for predictions along a growing history (walk-forward). */
  private state: { offset: number; bg: BackgroundState } | null = null;
  /** With the calendar offset: the calendar model behind its level, refitted at every fit. */
  private calendar: CalendarModel | null = null;
  /**
   * Whether the type head beat the trailing year's mix on the validation steps; when not, forecasts
   * give that mix (of the year before the step, the same in every cell), as a registered model does.
   */
  typesLearned = true;

  constructor(readonly config: NeuralConfig) {
    this.params = configParams(config);
  }

  async fit(h: HistoryView, ctx: FitContext = {}): Promise<void> {
    const c = this.config;
    if (c.features.offset) {
      this.calendar ??= calendar(calendarParams(c));
      this.calendar.fit(h);
    }
    const first = Math.min(c.features.lags, Math.max(1, h.steps - 1));
    if (!this.trainer) {
      if (h.steps < c.features.lags + 2)
        throw new Error(`convlstm: needs at least ${c.features.lags + 2} steps of history, got ${h.steps}`);
      const src = sourceOf(h, c);
      let valFrom = validationStart(h, c);
      // With too little history for a year of validation, keep at least half for training.
      if (valFrom - first < (h.steps - first) / 2) valFrom = first + Math.ceil((h.steps - first) / 2);
      // With the calendar offset, training starts once the calendar has a year behind it: before, its
      // factors (no holiday seen yet, a part-year mean) leave residuals later offsets do not have.
      const warm = c.features.offset && c.warmup > 0 ? warmupEnd(h, c.warmup) : first;
      // …as long as that leaves at least half of the training steps.
      const trainFrom = warm > first && valFrom - warm >= (valFrom - first) / 2 ? warm : first;
      const trainTargets = range(trainFrom, valFrom);
      const valTargets = range(valFrom, h.steps);
      this.trainer = makeTrainer(c, src);
      initAtBaseline(this.trainer, c, src, trainTargets);
      this.lastOutcome = await trainNetwork(this.trainer, c, src, {
        trainTargets,
        valTargets,
        study: seenCells(src, valFrom),
        progress: ctx.progress,
        signal: ctx.signal,
        ...(this.checkpointing ? { checkpoint: this.checkpointing } : {}),
      });
      this.typesLearned = headBeatsMix(h, trainFrom, valFrom, this.lastOutcome.valTypeLogLoss);
      await this.refit(src, range(trainFrom, h.steps), ctx);
      this.fittedSteps = h.steps;
      // With the calendar offset the level already follows the trailing year (the calendar's own).
      this.fitLevel = c.calibrate > 0 && !c.features.offset ? trailingLevel(h) : 0;
      return;
    }
    if (c.finetuneEpochs > 0 && h.steps > this.fittedSteps) {
      await this.fineTune(h, ctx);
    }
  }

  /**
   * `refit` epochs on the training and validation steps together, from the weights early stopping
   * kept, at the initial learning rate and within what is left of `maxSeconds`: the validation year
   * is the latest before the forecasts, and without this the network never trains on it. Skipped when
   * training kept its untrained start (validation found nothing to learn), was cancelled or ran out of
   * time. Not checkpointed: a run resumed after a kill repeats the training phase's end exactly (its
   * checkpoint), then the refit.
   */
  private async refit(src: FeatureSource, targets: number[], ctx: FitContext): Promise<void> {
    const c = this.config;
    const o = this.lastOutcome;
    if (!this.trainer || !o || c.refit <= 0 || o.bestEpoch === 0 || o.stoppedBy === 'cancelled') return;
    if (o.stoppedBy === 'time' || ctx.signal?.aborted) return;
    const left = c.maxSeconds > 0 ? c.maxSeconds - o.seconds : 0;
    if (c.maxSeconds > 0 && left <= 0) return;
    this.trainer.lr = c.lr;
    const progress = ctx.progress;
    const r = await trainNetwork(this.trainer, { ...c, maxSeconds: left }, src, {
      trainTargets: targets,
      valTargets: [],
      study: new Uint8Array(0),
      epochs: c.refit,
      noValidation: true,
      progress: progress && ((p) => progress({ ...p, phase: `refit ${p.phase}` })),
      signal: ctx.signal,
    });
    this.lastOutcome = { ...o, refitEpochs: r.epochs, seconds: o.seconds + r.seconds };
  }

  /** A few epochs on the new steps plus a replay of the preceding year, at a lower learning rate. */
  async fineTune(h: HistoryView, ctx: FitContext = {}): Promise<TrainOutcome> {
    const c = this.config;
    if (!this.trainer) throw new Error('convlstm: fine-tune needs a trained model');
    const src = sourceOf(h, c);
    const from = Math.max(c.features.lags, validationStart(h, c));
    const targets = range(from, h.steps);
    const lr = this.trainer.lr;
    this.trainer.lr = c.lr * 0.3;
    const outcome = await trainNetwork(this.trainer, c, src, {
      trainTargets: targets,
      valTargets: [],
      study: new Uint8Array(0),
      epochs: c.finetuneEpochs,
      noValidation: true,
      progress: ctx.progress,
      signal: ctx.signal,
    });
    this.trainer.lr = lr;
    this.fittedSteps = h.steps;
    return outcome;
  }

  async predict(h: HistoryView, horizon = 1): Promise<Float32Array> {
    const { rates } = await this.predictWithTypes(h, false);
    const cells = rates.length;
    // One step ahead is what the network is trained for; later steps reuse that map.
    const out = new Float32Array(horizon * cells);
    for (let k = 0; k < horizon; k++) out.set(rates, k * cells);
    return out;
  }

  async predictWithTypes(h: HistoryView, withTypes = true): Promise<TypeForecast> {
    const c = this.config;
    if (!this.trainer) throw new Error('convlstm: predict called before fit');
    const src = this.endSource(h);
    let [rates] = await predictRates(this.trainer, c, src, [h.steps]);
    if (c.loss === 'multinomial') calibrateTotal(rates, h);
    rates = anchorOf(rates, h, c);
    rates = atConfigLevel(rates, c, src, h.steps);
    // Calibration matched the year before the fit; the level then follows the trailing year, as the
    // classical models' does (without it a network fitted once keeps last year's volume all year).
    if (this.fitLevel > 0) {
      const now = trailingLevel(h);
      if (now > 0) rates = rates.map((v) => (v * now) / this.fitLevel);
    }
    if (!withTypes || c.preset === 'reference') return { rates, typeProbs: null };
    if (!this.typesLearned) return { rates, typeProbs: trailingMixMap(h, rates.length) };
    const b = makeBatch(src, [h.steps]);
    const inputs = trainerBatch(c, b, 1);
    delete inputs.target;
    const pred = await this.trainer.predict(inputs);
    return { rates, typeProbs: typeSoftmax(pred, h.types.length, rates.length) };
  }

  /** Features of the step after h, folding only the steps added since the last call. */
  private endSource(h: HistoryView): FeatureSource {
    const c = this.config;
    if (!this.state || this.state.offset !== h.offset || this.state.bg.folded > h.steps) {
      const o = featureOptionsOf(h, c);
      this.state = { offset: h.offset, bg: new BackgroundState(h.grid.rows, h.grid.cols, o) };
    }
    let total = 0;
    if (c.features.offset) {
      if (!this.calendar) {
        this.calendar = calendar(calendarParams(c));
        this.calendar.fit(h);
      }
      total = this.calendar.expectedTotal(h).total;
    }
    return featureSourceAtEnd(tensorOf(h), stepStartOf(h), this.state.bg, total);
  }

  /** What the first fit found; notes in plain words when the network kept its untrained start. */
  report(): FitReport {
    const o = this.lastOutcome;
    if (!o) return {};
    return {
      fitted: {
        epochs: o.epochs,
        bestEpoch: o.bestEpoch,
        ...reportedDeviance(o),
        calibration: o.calibration,
        ...(o.refitEpochs ? { refitEpochs: o.refitEpochs } : {}),
      },
      notes:
        o.bestEpoch === 0
          ? [
              `training did not improve on the untrained start (kept epoch 0: ${
                this.config.features.offset ? 'the calendar baseline' : 'the decayed-KDE ranking'
              })`,
            ]
          : [],
    };
  }

  async dispose(): Promise<void> {
    await this.trainer?.dispose();
    this.trainer = null;
  }
}

/** Mean events per counted step over the last year of h, over the whole grid. */
export function trailingLevel(h: HistoryView): number {
  const from = lastYearStart(h);
  let events = 0;
  let n = 0;
  for (let s = from; s < h.steps; s++) {
    if (h.excluded[s]) continue;
    n++;
    events += h.events.count(s, s + 1);
  }
  return n > 0 ? events / n : 0;
}

/**
 * The network's rates blended with the trailing year's counts of h (anchor.ts), or with its counts
 * decayed by age (`anchorTau` days); unchanged when the anchor is 0.
 */
export function anchorOf(
  rates: Float32Array,
  h: HistoryView,
  c: Pick<NeuralConfig, 'anchor' | 'anchorTau'>,
): Float32Array {
  if (c.anchor <= 0) return rates;
  const w =
    c.anchorTau > 0
      ? decayedCounts(h.events, c.anchorTau / stepDays(h.step))
      : trailingCounts(h.events, h.steps - lastYearStart(h));
  return anchorRates(rates, w, c.anchor);
}

/** The type shares of the year of steps before `to`, each count + 0.5 (the calendar baseline's mix). */
function trailingMix(h: HistoryView, to: number): Float64Array {
  let from = to;
  while (from > 0 && h.stepStartMs(from - 1) >= h.stepStartMs(to) - YEAR_MS) from--;
  const n = h.events.typeTotals(from, to);
  const types = h.types.length;
  let all = 0;
  for (let k = 0; k < types; k++) all += n[k] + 0.5;
  return Float64Array.from({ length: types }, (_, k) => (n[k] + 0.5) / all);
}

/** The trailing year's mix before the forecast step, in every cell: [types, cells]. */
function trailingMixMap(h: HistoryView, cells: number): Float32Array {
  const mix = trailingMix(h, h.steps);
  const out = new Float32Array(mix.length * cells);
  mix.forEach((p, k) => out.fill(p, k * cells, (k + 1) * cells));
  return out;
}

/**
 * Whether the head's validation type log-loss beats the trailing year's mix (of the year before the
 * validation steps) scored alike: per validation cell-step with a typed event, −Σ share · ln p.
 */
function headBeatsMix(h: HistoryView, trainFrom: number, valFrom: number, head: number): boolean {
  if (!Number.isFinite(head) || valFrom <= trainFrom) return true;
  const mix = trailingMix(h, valFrom);
  const types = h.types.length;
  const cells = h.grid.rows * h.grid.cols;
  const typed = new Float32Array(types * cells);
  let loss = 0;
  let n = 0;
  for (let t = valFrom; t < h.steps; t++) {
    h.events.typed(t, typed);
    for (let i = 0; i < cells; i++) {
      let sum = 0;
      for (let k = 0; k < types; k++) sum += typed[k * cells + i];
      if (sum === 0) continue;
      for (let k = 0; k < types; k++)
        if (typed[k * cells + i] > 0) loss -= (typed[k * cells + i] / sum) * Math.log(mix[k]);
      n++;
    }
  }
  return n === 0 || head < loss / n;
}

/** Softmax over the type channels (1..types) of one output [1, 1 + types, H, W]. */
export function typeSoftmax(pred: Float32Array, types: number, cells: number): Float32Array {
  const out = new Float32Array(types * cells);
  for (let i = 0; i < cells; i++) {
    let m = -Infinity;
    for (let k = 0; k < types; k++) m = Math.max(m, pred[(1 + k) * cells + i]);
    let s = 0;
    for (let k = 0; k < types; k++) s += Math.exp(pred[(1 + k) * cells + i] - m);
    for (let k = 0; k < types; k++) out[k * cells + i] = Math.exp(pred[(1 + k) * cells + i] - m) / s;
  }
  return out;
}

/** The multinomial head ranks but has no scale: give it the mean daily total of the last 28 steps. */
function calibrateTotal(rates: Float32Array, h: HistoryView): void {
  const cells = rates.length;
  const n = Math.min(28, h.steps);
  let events = 0;
  for (let s = h.steps - n; s < h.steps; s++) events += h.events.count(s, s + 1);
  let sum = 0;
  for (let i = 0; i < cells; i++) sum += rates[i];
  const scale = sum > 0 ? events / Math.max(1, n) / sum : 0;
  for (let i = 0; i < cells; i++) rates[i] *= scale;
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(i);
  return out;
}

export function createConvLstm(params: Record<string, string>): ConvLstmForecaster {
  return new ConvLstmForecaster(parseConfig(params));
}
