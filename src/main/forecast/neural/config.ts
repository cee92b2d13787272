/** The convlstm forecaster's parameters, their defaults, and parsing from `convlstm:k=v,…`. */
import { UsageError } from '../../util/errors.ts';
import type { FeatureOptions } from './features.ts';
import type { Level } from './level.ts';
import type { RiskLoss } from './net.ts';

export type Preset = 'default' | 'reference';

export interface NeuralConfig {
  preset: Preset;
  features: FeatureOptions;
  hidden: number;
  layers: number;
  kernel: number;
  head: number;
  loss: RiskLoss;
  posWeight: number;
  typeWeight: number;
  lr: number;
  batch: number;
  epochs: number;
  /** Epochs without a better validation score before stopping. */
  patience: number;
  /** Epochs without improvement before the learning rate is multiplied by lrFactor. */
  plateau: number;
  lrFactor: number;
  /**
   * What early stopping watches: the Poisson deviance of the expected counts on the validation
   * year's study cells (lower is better; the default), validation hit rate at 5 % (higher is
   * better) or validation loss.
   */
  monitor: 'deviance' | 'hr5' | 'loss';
  /**
   * 1: after training, scale the expected counts by one factor so that their validation total equals
   * the observed one (folded into the shortcut's bias, so it is part of the exported network).
   */
  calibrate: number;
  seed: number;
  threads: number;
  /** Epochs of fine-tuning at each later fit (evaluate's cadence, `update`); 0 keeps the first fit. */
  finetuneEpochs: number;
  /** Stop training after this many seconds (0: no limit). */
  maxSeconds: number;
  /** Steps (from the end of the history) held out for validation; 0 means one year. */
  valSteps: number;
  /** Networks trained with seeds seed, seed+1, …; their expected counts are averaged. */
  members: number;
  /**
   * Weight a in [0, 1) of a geometric blend of the network's expected counts with the trailing
   * year's counts (see anchor.ts); 0 leaves the network's output alone.
   */
  anchor: number;
  /** Days: the anchor's counts decayed by age with this time constant; 0, the trailing year's counts. */
  anchorTau: number;
  /**
   * Epochs of training on the training and validation steps together once early stopping has chosen
   * the weights, from those weights at the initial learning rate, so the network has seen the latest
   * year (0: none; skipped when training kept its untrained start or ran out of time).
   */
  refit: number;
  /**
   * Extra loss weight on the top cells (topcells.ts): a cell in the top topFrac of the background
   * counts 1 + topWeight times in the risk loss; 0 (the default) weighs every cell alike.
   */
  topWeight: number;
  /** Weight of a listwise term: a softmax over the top cells only, weighted by the target counts. */
  rankWeight: number;
  /** Fraction of the cells with any background that count as top cells. */
  topFrac: number;
  /**
   * With the calendar offset: days at the start of the history without training targets (the
   * calendar model's first year, before it has a trailing year and a holiday of each kind); 0: none.
   */
  warmup: number;
  /**
   * With the calendar offset, what sets the overall level (level.ts): `free`, the network's own;
   * `calendar`, one factor after training so the validation total is the calendar's; `step`, every
   * forecast step's total is the calendar's expected total for that step.
   */
  level: Level;
  /**
   * Which calendar model gives the offset's level: 2, seasonal factors that average 1 and month
   * factors shrunk towards 1 (the `calendar` baseline's defaults); 1, the first one (free factors,
   * whose product carried the fit years' trend), for models stored before version 2.
   */
  calendarVersion: number;
}

/** The `calendar` params of a config's calendar version (calendar.ts). */
export function calendarParams(c: Pick<NeuralConfig, 'calendarVersion'>): Record<string, string> {
  return c.calendarVersion === 1 ? { normalize: '0', monthShrink: '0' } : {};
}

export const DEFAULT_CONFIG: NeuralConfig = {
  preset: 'default',
  features: {
    lags: 7,
    calendar: true,
    holidays: true,
    kdeTaus: [30, 90, 365],
    kdeSigma: 0.5,
    windows: [7, 28, 91, 365],
    // The calendar baseline as a log-offset (2017 walk-forward: cell deviance 0.1397 against the
    // previous default's 0.1493, daily-total deviance 2.80 against 7.27; README).
    offset: true,
  },
  // Hidden 8 scored as hidden 16 on the 2017 validation year (HR@5 % 0.344 vs 0.342) at a third of the cost.
  hidden: 8,
  layers: 1,
  kernel: 3,
  head: 8,
  // With level=step (below), the loss sees only where within each step (the multinomial likelihood
  // of the step's events over the cells, given their number); the Poisson loss at a fixed level
  // kept the untrained start at every setting tried on 2017.
  loss: 'multinomial',
  posWeight: 1,
  // With the offset, training the type head too (0.1) kept the calendar start on the fit for 2018
  // (validated on 2017) and scored worse on the 2017 walk-forward (cell deviance 0.1407 against
  // 0.1397); the type forecast is then the trailing year's mix. Scored once on 2018, this default was
  // worse than the calendar baseline there, and 0.1 equal to it (README).
  typeWeight: 0,
  // At level=step: 1e-3 against 3e-3 over the five validation years, cell deviance against the
  // calendar's −0.00043 against −0.00031 on average, worst year +0.00017 against +0.00083 (README).
  // (For `level=free`, 3e-3 had beaten 1e-3 on 2017: 0.1407 against 0.1415.)
  lr: 1e-3,
  batch: 20,
  epochs: 100,
  patience: 3,
  plateau: 2,
  lrFactor: 0.5,
  // Hit rate at 5 % could not move from the KDE start (epoch 0 kept, issue 16); deviance sees volume.
  monitor: 'deviance',
  // The offset's level is the calendar model's; one more factor fitted on validation (calibrate=1)
  // scored worse on 2017 (daily-total deviance 3.44 against 3.04 at the same learning rate).
  calibrate: 0,
  seed: 0,
  threads: 2,
  finetuneEpochs: 0,
  maxSeconds: 0,
  valSteps: 0,
  members: 1,
  // a = 0.2 lifted HR@1/5 % by 0.001–0.003 on 2017 for the network without the offset; with the offset
  // and its own level it raised the cell deviance (0.14101 against 0.14092 before training). At
  // level=step, unless given, a = 0.3 (below): over the five validation years, cell deviance against
  // the calendar's −0.00091 on average (a = 0: −0.00043; 0.1: −0.00072; 0.2: −0.00088; 0.5: −0.00058).
  anchor: 0,
  // The anchor's counts decayed by age (730 days) rather than the trailing year's: over the five
  // validation years, 730 beat the trailing year on cell deviance and both hit rates (README).
  anchorTau: 730,
  // At level=step, unless given, REFIT_EPOCHS (below).
  refit: 0,
  topWeight: 0,
  rankWeight: 0,
  topFrac: 0.1,
  warmup: 365,
  // Every step's total is the calendar's expected total; the network says where. Chosen on five
  // validation years (DC 2016 and 2017, the FOIA file's 2010–2012): its cell deviance against the
  // calendar baseline's averaged −0.0003 (worst year +0.0009), against +0.0014 (worst +0.0083) for
  // `level=free` with the Poisson loss, whose learned level follows the training years' trend (README).
  level: 'step',
  // Normalised, month-shrunk factors: on the five validation years the calendar baseline's cell
  // deviance fell from 0.1827 to 0.1784 on average, lower in every year (README).
  calendarVersion: 2,
};

/** The anchor (anchor.ts) at `level=step` unless given: chosen on the five validation years (README). */
export const STEP_ANCHOR = 0.3;

/**
 * Epochs on training + validation steps after early stopping, at `level=step` unless given: over the
 * five validation years, 4 epochs at the initial learning rate lowered the cell deviance in every
 * year (mean 0.177160 against 0.177482 without; HR@1 % 0.09054 against 0.09053, HR@5 % 0.29262
 * against 0.29268); 1–3 epochs, or 30 % of the learning rate, lowered it less (README).
 */
export const REFIT_EPOCHS = 4;

/** The seed paper's setting: 7 days of per-type counts, BCE with positive weight 20, no background. */
export const REFERENCE_CONFIG: NeuralConfig = {
  ...DEFAULT_CONFIG,
  preset: 'reference',
  anchor: 0,
  lr: 1e-3,
  hidden: 32,
  features: { lags: 7, calendar: false, holidays: false, kdeTaus: [], kdeSigma: 0.5, windows: [] },
  loss: 'bce',
  posWeight: 20,
  typeWeight: 0,
  monitor: 'loss',
  calibrate: 0,
  level: 'free',
};

const NUM_KEYS = [
  'hidden',
  'layers',
  'kernel',
  'head',
  'posWeight',
  'typeWeight',
  'lr',
  'batch',
  'epochs',
  'patience',
  'plateau',
  'lrFactor',
  'seed',
  'threads',
  'finetuneEpochs',
  'maxSeconds',
  'valSteps',
  'members',
  'anchor',
  'anchorTau',
  'refit',
  'topWeight',
  'rankWeight',
  'topFrac',
  'calibrate',
  'warmup',
  'calendarVersion',
] as const;
const INT_KEYS = new Set([
  'hidden',
  'layers',
  'kernel',
  'head',
  'batch',
  'epochs',
  'patience',
  'plateau',
  'seed',
  'threads',
  'finetuneEpochs',
  'valSteps',
  'members',
  'calibrate',
  'warmup',
  'calendarVersion',
  'refit',
]);

function list(key: string, v: string): number[] {
  if (v === '' || v === 'none') return [];
  return v.split('/').map((x) => {
    const n = Number(x);
    if (!Number.isFinite(n) || n <= 0)
      throw new UsageError(`convlstm: ${key} must be numbers > 0 separated by '/', got '${v}'`);
    return n;
  });
}

/** Resolves params (strings from the command line) over the preset's defaults; every error names the parameter. */
export function parseConfig(params: Readonly<Record<string, string>>): NeuralConfig {
  const preset = params.preset ?? 'default';
  if (preset !== 'default' && preset !== 'reference')
    throw new UsageError(`convlstm: preset must be default or reference, got '${preset}'`);
  const c: NeuralConfig = structuredClone(preset === 'reference' ? REFERENCE_CONFIG : DEFAULT_CONFIG);
  const f = c.features;
  for (const [k, v] of Object.entries(params)) {
    if (k === 'preset') continue;
    if ((NUM_KEYS as readonly string[]).includes(k)) {
      const n = Number(v);
      if (v === '' || !Number.isFinite(n) || (INT_KEYS.has(k) && !Number.isInteger(n)) || n < 0)
        throw new UsageError(
          `convlstm: ${k} must be a ${INT_KEYS.has(k) ? 'whole ' : ''}number ≥ 0, got '${v}'`,
        );
      (c as unknown as Record<string, number>)[k] = n;
    } else if (k === 'loss') {
      if (v !== 'bce' && v !== 'poisson' && v !== 'multinomial')
        throw new UsageError(`convlstm: loss must be bce, poisson or multinomial, got '${v}'`);
      c.loss = v;
    } else if (k === 'monitor') {
      if (v !== 'hr5' && v !== 'loss' && v !== 'deviance')
        throw new UsageError(`convlstm: monitor must be deviance, hr5 or loss, got '${v}'`);
      c.monitor = v;
    } else if (k === 'level') {
      if (v !== 'free' && v !== 'calendar' && v !== 'step')
        throw new UsageError(`convlstm: level must be free, calendar or step, got '${v}'`);
      c.level = v;
    } else if (k === 'lags' || k === 'T') {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1)
        throw new UsageError(`convlstm: ${k} must be a whole number ≥ 1, got '${v}'`);
      f.lags = n;
    } else if (k === 'calendar') {
      if (v !== '0' && v !== '1' && v !== 'true' && v !== 'false')
        throw new UsageError(`convlstm: calendar must be 0 or 1, got '${v}'`);
      f.calendar = v === '1' || v === 'true';
    } else if (k === 'holidays') {
      if (v !== '0' && v !== '1' && v !== 'true' && v !== 'false')
        throw new UsageError(`convlstm: holidays must be 0 or 1, got '${v}'`);
      f.holidays = v === '1' || v === 'true';
    } else if (k === 'offset') {
      if (v !== '0' && v !== '1' && v !== 'true' && v !== 'false')
        throw new UsageError(`convlstm: offset must be 0 or 1, got '${v}'`);
      f.offset = v === '1' || v === 'true';
    } else if (k === 'taus') f.kdeTaus = list(k, v);
    else if (k === 'windows') f.windows = list(k, v).map(Math.round);
    else if (k === 'sigma') {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0)
        throw new UsageError(`convlstm: sigma must be a number ≥ 0, got '${v}'`);
      f.kdeSigma = n;
    } else {
      throw new UsageError(
        `convlstm: unknown parameter '${k}' (known: preset, loss, monitor, level, lags, calendar, holidays, offset, taus, windows, sigma, ${NUM_KEYS.join(', ')})`,
      );
    }
  }
  // The default preset's level and loss go together and with the offset: unless given, the level is
  // `step` where the calendar offset is on and no calibration factor is asked for (else `free`), and
  // the loss is the multinomial one at `level=step` (else Poisson), with the anchor at STEP_ANCHOR
  // (else 0). So `offset=0` or `level=free` alone gives the Poisson network that sets its own level.
  if (c.preset === 'default') {
    if (!('level' in params)) c.level = f.offset && c.calibrate === 0 ? 'step' : 'free';
    if (!('loss' in params)) c.loss = c.level === 'step' ? 'multinomial' : 'poisson';
    if (!('anchor' in params) && c.level === 'step') c.anchor = STEP_ANCHOR;
    if (!('refit' in params) && c.level === 'step') c.refit = REFIT_EPOCHS;
  }
  if (c.preset === 'reference' && (f.kdeTaus.length || f.windows.length || f.calendar || f.offset))
    throw new UsageError(
      'convlstm: the reference preset takes only per-type counts (no taus, windows, calendar or offset)',
    );
  if (
    c.preset === 'default' &&
    f.kdeTaus.length + f.windows.length + (f.calendar ? 1 : 0) + (f.offset ? 1 : 0) === 0
  )
    throw new UsageError('convlstm: the default preset needs at least one background or calendar channel');
  if (c.topFrac <= 0 || c.topFrac > 1)
    throw new UsageError(`convlstm: topFrac must be in (0, 1], got ${c.topFrac}`);
  if (c.preset === 'reference' && (c.topWeight > 0 || c.rankWeight > 0))
    throw new UsageError('convlstm: topWeight and rankWeight need the default preset (background channels)');
  if (c.level !== 'free' && !f.offset)
    throw new UsageError(`convlstm: level=${c.level} needs the calendar offset (offset=1)`);
  if (c.level === 'calendar' && c.loss !== 'poisson')
    throw new UsageError('convlstm: level=calendar needs the Poisson loss');
  if (c.level !== 'free' && c.calibrate > 0)
    throw new UsageError('convlstm: level and calibrate both set the level; use one');
  if (c.calendarVersion !== 1 && c.calendarVersion !== 2)
    throw new UsageError(`convlstm: calendarVersion must be 1 or 2, got ${c.calendarVersion}`);
  if (c.refit > 0 && (c.level === 'calendar' || c.calibrate > 0))
    throw new UsageError(
      'convlstm: refit would retrain the level factor fitted after training (level=calendar, calibrate); use level=step or free',
    );
  if (c.anchor >= 1) throw new UsageError(`convlstm: anchor must be in [0, 1), got ${c.anchor}`);
  if (c.kernel % 2 === 0) throw new UsageError(`convlstm: kernel must be odd, got ${c.kernel}`);
  if (c.batch < 1 || c.hidden < 1 || c.layers < 1 || c.head < 1 || c.members < 1)
    throw new UsageError('convlstm: batch, hidden, layers, head and members must be at least 1');
  return c;
}

/** The config as flat params (stored with runs and in the model registry). */
export function configParams(c: NeuralConfig): Record<string, number | string | boolean> {
  const { features, ...rest } = c;
  return {
    ...rest,
    lags: features.lags,
    calendar: features.calendar,
    holidays: features.holidays === true,
    offset: features.offset === true,
    taus: features.kdeTaus.join('/') || 'none',
    windows: features.windows.join('/') || 'none',
    sigma: features.kdeSigma,
  };
}

/** Inverse of configParams (values may be numbers or strings, as stored). */
export function configFromParams(p: Readonly<Record<string, unknown>>): NeuralConfig {
  const s: Record<string, string> = {};
  for (const [k, v] of Object.entries(p)) s[k] = typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
  // A model stored before the holiday channels existed was trained without them (and uncalibrated).
  if (!('holidays' in s) && 'calendar' in s) s.holidays = '0';
  if (!('calibrate' in s) && 'calendar' in s) s.calibrate = '0';
  // …and one stored before the calendar offset existed, without it.
  if (!('offset' in s) && 'calendar' in s) s.offset = '0';
  // …and one stored before the level option, at its own level.
  if (!('level' in s)) s.level = 'free';
  // …and one stored before the anchor's decay, anchored to the trailing year's counts.
  if (!('anchorTau' in s)) s.anchorTau = '0';
  // …and one stored before calendar version 2, with the first calendar model's level.
  if (!('calendarVersion' in s)) s.calendarVersion = '1';
  // …and one stored before the refit, trained without it.
  if (!('refit' in s)) s.refit = '0';
  return parseConfig(s);
}
