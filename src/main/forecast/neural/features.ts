/**
 * Input channels and targets for the neural forecaster, built from a history's sparse events
 * (history/events.ts). Everything for the sample that predicts step t is computed from steps
 * strictly before t. A batch is built on demand from the events: its lags are a dense window of
 * `lags` steps, its background channels come from a running state restored from the nearest
 * checkpoint, so memory depends on batch × window × cells, not on the length of the history.
 */
import { StepEvents, storeOfDense } from '../../history/events.ts';

export interface CountTensor {
  /** The events per step: every event per cell (backgrounds, risk targets) and typed ones per type (lags, type head). */
  events: StepEvents;
  steps: number;
  types: number;
  rows: number;
  cols: number;
  /** 1 for steps left out (fireworks windows): the calendar offset's KDE only ages over them. */
  excluded?: Uint8Array;
}

/**
 * A tensor from dense counts, for tests and benchmarks: `data` [steps, types, rows, cols] typed,
 * `total` [steps, rows, cols] every event (absent: the sum of `data` over types).
 */
export function tensorFromDense(t: {
  data: Float32Array;
  total?: Float32Array;
  steps: number;
  types: number;
  rows: number;
  cols: number;
}): CountTensor {
  const cells = t.rows * t.cols;
  let total = t.total;
  if (!total) {
    total = new Float32Array(t.steps * cells);
    for (let s = 0; s < t.steps; s++)
      for (let k = 0; k < t.types; k++)
        for (let i = 0; i < cells; i++) total[s * cells + i] += t.data[(s * t.types + k) * cells + i];
  }
  const store = storeOfDense(total, t.data, t.steps, t.types, cells);
  return {
    events: new StepEvents(store, 0, t.steps),
    steps: t.steps,
    types: t.types,
    rows: t.rows,
    cols: t.cols,
  };
}

/** The first `steps` steps of a tensor. */
export function prefixOf(t: CountTensor, steps: number): CountTensor {
  return { ...t, events: t.events.window(0, steps), steps };
}

export interface FeatureOptions {
  /** Number of past steps of per-type counts fed to the recurrent part. */
  lags: number;
  /** Day-of-week and day-of-year sine/cosine plus a fireworks flag, for the target step. */
  calendar: boolean;
  /**
   * With calendar: a second weekly harmonic and one flag per built-in holiday (July 3rd, 4th, 5th,
   * Dec 31st, Jan 1st; holidays.ts), so the 1×1 shortcut can learn a weekday and holiday factor.
   * Absent (models trained before it) means off.
   */
  holidays?: boolean;
  /** Time constants (in steps) of decayed, Gaussian-smoothed densities; [] for none. */
  kdeTaus: readonly number[];
  /** Spatial smoothing of the decayed densities, in cells. */
  kdeSigma: number;
  /** Trailing windows (in steps) of raw counts; [] for none. */
  windows: readonly number[];
  /**
   * The calendar baseline as a log-offset: one more background channel (the last), log of the
   * calendar model's expected count per cell for the target step (its expected total spread by a
   * decayed KDE, classical/calendar.ts), which the shortcut starts from with weight 1. Absent: off.
   */
  offset?: boolean;
  /** The offset KDE's time constant in steps (the calendar's τ of 90 days); set from the step length. */
  offsetTau?: number;
}

/** Floor of the offset channel's expected count (as the evaluation floors λ). */
export const OFFSET_FLOOR = 1e-6;
/** The calendar baseline's KDE: τ 90 days, σ 0.5 cells (its defaults). */
export const OFFSET_TAU_DAYS = 90;
export const OFFSET_SIGMA = 0.5;

export const DEFAULT_FEATURES: FeatureOptions = {
  lags: 7,
  calendar: true,
  kdeTaus: [90],
  kdeSigma: 0.5,
  windows: [7, 28, 91, 365],
};

export const CALENDAR_CHANNELS = 5;
/** Holiday days with a channel of their own (the fireworks season has the fireworks flag). */
export const HOLIDAY_DAYS: readonly (readonly [number, number])[] = [
  [7, 3],
  [7, 4],
  [7, 5],
  [12, 31],
  [1, 1],
];
export const HOLIDAY_CHANNELS = 2 + HOLIDAY_DAYS.length;

/** Calendar channels of the target step: 5, or 12 with holidays. */
export function calendarChannelCount(o: Pick<FeatureOptions, 'calendar' | 'holidays'>): number {
  return o.calendar ? CALENDAR_CHANNELS + (o.holidays ? HOLIDAY_CHANNELS : 0) : 0;
}

/** Channels that do not vary along the input sequence: background (+ calendar). */
export function staticChannelCount(o: FeatureOptions): number {
  return backgroundChannelCount(o) + calendarChannelCount(o);
}

export function backgroundChannelCount(o: FeatureOptions): number {
  return o.kdeTaus.length + o.windows.length + (o.offset ? 1 : 0);
}

/** Index of the offset channel among the static channels (the last background channel). */
export function offsetChannel(o: FeatureOptions): number {
  return o.kdeTaus.length + o.windows.length;
}

/** A 1-D Gaussian kernel truncated at 3σ and normalised to sum 1; [1] when σ is 0. */
export function gaussianKernel(sigma: number): Float64Array {
  if (sigma <= 0) return Float64Array.of(1);
  const r = Math.max(1, Math.ceil(3 * sigma));
  const k = new Float64Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) {
    k[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
    sum += k[i + r];
  }
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  return k;
}

/** Separable Gaussian blur with zero padding (mass near the edge leaks out, as for a KDE on a clipped area). */
export function blur(src: Float64Array, rows: number, cols: number, kernel: Float64Array): Float64Array {
  const r = (kernel.length - 1) / 2;
  if (r === 0) return Float64Array.from(src);
  const tmp = new Float64Array(rows * cols);
  const out = new Float64Array(rows * cols);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      let s = 0;
      for (let k = -r; k <= r; k++) {
        const xx = x + k;
        if (xx >= 0 && xx < cols) s += kernel[k + r] * src[y * cols + xx];
      }
      tmp[y * cols + x] = s;
    }
  }
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      let s = 0;
      for (let k = -r; k <= r; k++) {
        const yy = y + k;
        if (yy >= 0 && yy < rows) s += kernel[k + r] * tmp[yy * cols + x];
      }
      out[y * cols + x] = s;
    }
  }
  return out;
}

/**
 * Makes a background map comparable across years whose overall volume differs: divide by its mean
 * over the grid, then log1p. An all-zero map stays zero.
 */
export function normaliseMap(src: Float64Array, dst: Float32Array, offset: number): void {
  let mean = 0;
  for (let i = 0; i < src.length; i++) mean += src[i];
  mean /= src.length;
  for (let i = 0; i < src.length; i++) dst[offset + i] = mean > 0 ? Math.log1p(src[i] / mean) : 0;
}

/**
 * The running sums behind the background channels: decayed totals and trailing-window totals over
 * the steps folded so far. Folding is incremental, so a walk-forward forecast pays one step per step.
 */
export class BackgroundState {
  folded = 0;
  private readonly decayed: Float64Array[];
  private readonly factors: number[];
  private readonly windowSums: Float64Array[];
  private readonly kernel: Float64Array;
  /** The calendar offset's decayed counts (excluded steps only age), or null without the offset. */
  private readonly offsetSum: Float64Array | null;
  private readonly offsetFactor: number;
  private readonly offsetKernel: Float64Array;

  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly options: FeatureOptions,
  ) {
    const cells = rows * cols;
    this.decayed = options.kdeTaus.map(() => new Float64Array(cells));
    this.factors = options.kdeTaus.map((tau) => Math.exp(-1 / tau));
    this.windowSums = options.windows.map(() => new Float64Array(cells));
    this.kernel = gaussianKernel(options.kdeSigma);
    this.offsetSum = options.offset ? new Float64Array(cells) : null;
    this.offsetFactor = Math.exp(-1 / (options.offsetTau ?? 90));
    this.offsetKernel = gaussianKernel(OFFSET_SIGMA);
  }

  /** Folds steps folded..upTo−1 of `t` (the newest step then has age 0). */
  advance(t: CountTensor, upTo: number): void {
    const cells = this.rows * this.cols;
    for (let s = this.folded; s < upTo; s++) {
      // d·f + c, as the dense recursion had it: decay every cell, then add the step's events.
      for (let j = 0; j < this.decayed.length; j++) {
        const d = this.decayed[j];
        const f = this.factors[j];
        for (let i = 0; i < cells; i++) d[i] = d[i] * f;
        t.events.addTotal(d, s, s + 1);
      }
      for (let j = 0; j < this.windowSums.length; j++) {
        const w = this.windowSums[j];
        t.events.addTotal(w, s, s + 1);
        const o = s - this.options.windows[j];
        if (o >= 0) t.events.addTotal(w, o, o + 1, -1);
      }
      const d = this.offsetSum;
      if (d) {
        for (let i = 0; i < cells; i++) d[i] *= this.offsetFactor;
        if (!t.excluded?.[s]) t.events.addTotal(d, s, s + 1);
      }
    }
    this.folded = Math.max(this.folded, upTo);
  }

  /** A copy of the state (a checkpoint). */
  clone(): BackgroundState {
    const c = new BackgroundState(this.rows, this.cols, this.options);
    c.copyFrom(this);
    return c;
  }

  /** Becomes a copy of `o` (same grid and options). */
  copyFrom(o: BackgroundState): void {
    this.folded = o.folded;
    o.decayed.forEach((d, j) => this.decayed[j].set(d));
    o.windowSums.forEach((w, j) => this.windowSums[j].set(w));
    if (this.offsetSum && o.offsetSum) this.offsetSum.set(o.offsetSum);
  }

  /**
   * Writes the normalised channels of the current state at `offset`; with the calendar offset, its
   * channel last: log of `total` (the calendar's expected total for the target) spread by the KDE.
   */
  write(out: Float32Array, offset: number, total = 0): void {
    const cells = this.rows * this.cols;
    let c = 0;
    for (const d of this.decayed)
      normaliseMap(blur(d, this.rows, this.cols, this.kernel), out, offset + c++ * cells);
    for (const w of this.windowSums) normaliseMap(w, out, offset + c++ * cells);
    if (this.offsetSum)
      offsetMap(
        blur(this.offsetSum, this.rows, this.cols, this.offsetKernel),
        total,
        out,
        offset + c * cells,
      );
  }
}

/** log max(total · map_i / Σ map, OFFSET_FLOOR) per cell: the calendar model's expected counts, as logs. */
export function offsetMap(map: Float64Array, total: number, dst: Float32Array, offset: number): void {
  let sum = 0;
  for (let i = 0; i < map.length; i++) sum += map[i];
  const k = sum > 0 && total > 0 ? total / sum : 0;
  for (let i = 0; i < map.length; i++) dst[offset + i] = Math.log(Math.max(k * map[i], OFFSET_FLOOR));
}

/**
 * Background channels for every step t in [0, steps]: channel c of step t summarises steps < t only.
 * Layout [steps + 1 − from, channels, rows, cols] for steps from..steps; index `steps` is the state
 * after the last step, used to forecast beyond the data. Steps before `from` are folded in but not
 * stored (a forecast of the next step needs only the last state). Dense over steps × cells: the
 * reference the on-demand channels (featureSource) are tested against, not used by training.
 */
export function buildBackground(
  t: CountTensor,
  o: FeatureOptions,
  from = 0,
  totals?: (step: number) => number,
): Float32Array {
  const cells = t.rows * t.cols;
  const nc = backgroundChannelCount(o);
  const out = new Float32Array((t.steps + 1 - from) * nc * cells);
  const state = new BackgroundState(t.rows, t.cols, o);
  for (let step = 0; step <= t.steps; step++) {
    state.advance(t, step);
    if (step >= from) state.write(out, (step - from) * nc * cells, totals?.(step) ?? 0);
  }
  return out;
}

/** True inside the fireworks windows (Dec 29 – Jan 2, Jul 1 – Jul 6), from a local ISO date. */
export function isFireworks(localIso: string): boolean {
  const m = Number(localIso.slice(5, 7));
  const d = Number(localIso.slice(8, 10));
  return (m === 12 && d >= 29) || (m === 1 && d <= 2) || (m === 7 && d <= 6);
}

/**
 * [dow sin, dow cos, doy sin, doy cos, fireworks] for a step starting at a local ISO time; with
 * holidays, then [2·dow sin, 2·dow cos] and a 0/1 flag per HOLIDAY_DAYS entry.
 */
export function calendarValues(localIso: string, holidays = false): number[] {
  const y = Number(localIso.slice(0, 4));
  const m = Number(localIso.slice(5, 7));
  const d = Number(localIso.slice(8, 10));
  const utc = Date.UTC(y, m - 1, d);
  const dow = new Date(utc).getUTCDay();
  const doy = (utc - Date.UTC(y, 0, 1)) / 86_400_000;
  const yearLen = (Date.UTC(y + 1, 0, 1) - Date.UTC(y, 0, 1)) / 86_400_000;
  const a = (2 * Math.PI * dow) / 7;
  const b = (2 * Math.PI * doy) / yearLen;
  const base = [Math.sin(a), Math.cos(a), Math.sin(b), Math.cos(b), isFireworks(localIso) ? 1 : 0];
  if (!holidays) return base;
  return [
    ...base,
    Math.sin(2 * a),
    Math.cos(2 * a),
    ...HOLIDAY_DAYS.map(([hm, hd]) => (hm === m && hd === d ? 1 : 0)),
  ];
}

/** A batch of samples, one per target step, in the layouts the network takes. */
export interface Batch {
  n: number;
  /** [n, types, lags, rows, cols]: log1p counts of steps target-lags .. target-1 (zeros before step 0). */
  seq: Float32Array;
  /** [n, staticChannels, rows, cols]: background of the target step, then calendar. */
  stat: Float32Array;
  /** [n, 1, rows, cols]: 1 where the target step has at least one event. */
  indicator: Float32Array;
  /** [n, 1, rows, cols]: events in the target step. */
  counts: Float32Array;
  /** [n, types, rows, cols]: each type's share of the cell's typed events (0 where there are none). */
  typeShare: Float32Array;
}

export interface FeatureSource {
  tensor: CountTensor;
  options: FeatureOptions;
  /** First step a sample may target. */
  backgroundFrom: number;
  /** Writes the background channels of target step t (backgroundFrom ≤ t ≤ steps) at `offset`. */
  backgroundAt: (t: number, out: Float32Array, offset: number) => void;
  /** Local ISO start of step i (0 ≤ i ≤ steps), for the calendar channels. */
  stepStart: (i: number) => string;
  /** With the calendar offset: the calendar's expected grid total for target step t (its level). */
  levelAt?: (t: number) => number;
}

/** At most this many checkpoints of the background state per source. */
const MAX_CHECKPOINTS = 48;

/**
 * Background channels on demand: the running state is checkpointed every `every` steps in one pass,
 * and a target's state is the nearest earlier checkpoint advanced to it. Memory is the checkpoints
 * (at most MAX_CHECKPOINTS states of O(cells)), whatever the history's length; the values are those
 * of one uninterrupted pass (buildBackground), to the last bit.
 */
function onDemandBackground(
  t: CountTensor,
  o: FeatureOptions,
  from: number,
  totals: ((step: number) => number) | undefined,
) {
  const span = t.steps + 1 - from;
  const every = Math.max(16, Math.ceil(span / MAX_CHECKPOINTS));
  const checkpoints: BackgroundState[] = [];
  const state = new BackgroundState(t.rows, t.cols, o);
  for (let k = from; k <= t.steps; k += every) {
    state.advance(t, k);
    checkpoints.push(state.clone());
  }
  const work = new BackgroundState(t.rows, t.cols, o);
  // The last target asked for: walking targets in order costs one step each.
  let at = -1;
  return (target: number, out: Float32Array, offset: number): void => {
    if (target < from || target > t.steps)
      throw new RangeError(`target step ${target} is outside ${from}..${t.steps}`);
    if (!(at >= 0 && at <= target && target - at < every))
      work.copyFrom(checkpoints[Math.floor((target - from) / every)]);
    work.advance(t, target);
    at = target;
    work.write(out, offset, totals?.(target) ?? 0);
  };
}

/** Features for targets ≥ `from` (default: all steps). */
export function featureSource(
  tensor: CountTensor,
  stepStarts: readonly string[] | ((i: number) => string),
  options: FeatureOptions,
  from = 0,
  totals?: (step: number) => number,
): FeatureSource {
  if (options.offset && !totals) throw new Error('the calendar offset channel needs expected totals');
  if (options.calendar && Array.isArray(stepStarts) && stepStarts.length < tensor.steps + 1) {
    throw new Error(`calendar features need ${tensor.steps + 1} step starts, got ${stepStarts.length}`);
  }
  const stepStart =
    typeof stepStarts === 'function' ? stepStarts : (i: number) => (stepStarts as readonly string[])[i];
  return {
    tensor,
    options,
    stepStart,
    backgroundAt: onDemandBackground(tensor, options, from, totals),
    backgroundFrom: from,
    ...(totals ? { levelAt: totals } : {}),
  };
}

/**
 * Features for the one step after the data, from a running state (advanced here to the end); `total`
 * is the calendar's expected total for that step (the offset channel's level).
 */
export function featureSourceAtEnd(
  tensor: CountTensor,
  stepStart: (i: number) => string,
  state: BackgroundState,
  total = 0,
): FeatureSource {
  state.advance(tensor, tensor.steps);
  const background = new Float32Array(backgroundChannelCount(state.options) * tensor.rows * tensor.cols);
  state.write(background, 0, total);
  return {
    tensor,
    options: state.options,
    stepStart,
    backgroundFrom: tensor.steps,
    ...(state.options.offset ? { levelAt: () => total } : {}),
    backgroundAt: (t, out, offset) => {
      if (t !== tensor.steps)
        throw new RangeError(`target step ${t} is outside ${tensor.steps}..${tensor.steps}`);
      out.set(background, offset);
    },
  };
}

/** Assembles samples whose target steps are `targets` (each in [0, steps]; `steps` has no targets). */
export function makeBatch(src: FeatureSource, targets: readonly number[]): Batch {
  const { tensor: t, options: o } = src;
  const cells = t.rows * t.cols;
  const n = targets.length;
  const nb = backgroundChannelCount(o);
  const ns = staticChannelCount(o);
  const seq = new Float32Array(n * t.types * o.lags * cells);
  const stat = new Float32Array(n * ns * cells);
  const indicator = new Float32Array(n * cells);
  const counts = new Float32Array(n * cells);
  const typeShare = new Float32Array(n * t.types * cells);
  const typed = new Float32Array(t.types * cells);
  const total = new Float32Array(cells);
  for (let b = 0; b < n; b++) {
    const target = targets[b];
    if (target < src.backgroundFrom || target > t.steps)
      throw new RangeError(`target step ${target} is outside ${src.backgroundFrom}..${t.steps}`);
    // The lags: a dense window of `lags` steps, built from the events.
    for (let l = 0; l < o.lags; l++) {
      const s = target - o.lags + l;
      if (s < 0) continue;
      t.events.typed(s, typed);
      for (let k = 0; k < t.types; k++) {
        const to = ((b * t.types + k) * o.lags + l) * cells;
        for (let i = 0; i < cells; i++) seq[to + i] = Math.log1p(typed[k * cells + i]);
      }
    }
    src.backgroundAt(target, stat, b * ns * cells);
    if (o.calendar) {
      const cal = calendarValues(src.stepStart(target), o.holidays === true);
      for (let c = 0; c < cal.length; c++) {
        stat.fill(cal[c], (b * ns + nb + c) * cells, (b * ns + nb + c + 1) * cells);
      }
    }
    if (target < t.steps) {
      t.events.total(target, total);
      t.events.typed(target, typed);
      for (let i = 0; i < cells; i++) {
        // Risk targets count every event; the type shares only the typed ones (all 0 where none is).
        counts[b * cells + i] = total[i];
        indicator[b * cells + i] = total[i] > 0 ? 1 : 0;
        let sum = 0;
        for (let k = 0; k < t.types; k++) sum += typed[k * cells + i];
        if (sum > 0) {
          for (let k = 0; k < t.types; k++)
            typeShare[(b * t.types + k) * cells + i] = typed[k * cells + i] / sum;
        }
      }
    }
  }
  return { n, seq, stat, indicator, counts, typeShare };
}
