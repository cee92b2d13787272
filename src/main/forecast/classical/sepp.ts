import { stepDays } from '../../grid/time.ts';
import { paramReader } from '../registry.ts';
import type { FitContext, FitReport, Forecaster, HistoryView } from '../types.ts';
import { holidayCalendar, holidayOfStep, type HolidayCalendar } from '../holidays.ts';
import { Continuation, repeatMap } from './common.ts';
import { StepEvents, storeOfDense } from '../../history/events.ts';

/** Fitted grid SEPP: per-cell background rate μ (events per step), branching ratio θ, decay ω (per step). */
export interface SeppFit {
  mu: Float64Array;
  theta: number;
  omega: number;
  iterations: number;
  logLik: number;
}

export interface SeppFitOptions {
  maxIter?: number;
  /** Stop when the log-likelihood improves by less than this, relative. */
  tol?: number;
  /** Warm start (e.g. the previous refit). */
  init?: SeppFit;
  /**
   * Steps left out of the fit (1), e.g. holidays: treated as unobserved, so their events neither
   * count in the likelihood nor trigger later ones, and their expected count is not charged. The
   * excitation from earlier events decays through them.
   */
  skip?: Uint8Array;
  /**
   * Decay of the likelihood's weight with age, in steps (0 or absent: every step weighs 1): the step
   * `a` steps before the window's last one weighs e^{−a/decay}, so the background follows where events
   * are now rather than their average over the whole window (a weighted EM: every sum over steps
   * carries the step's weight).
   */
  decay?: number;
}

/**
 * Grid self-exciting point process (Mohler et al. 2015) on step counts c[t, n]:
 *   λ[t, n] = μ[n] + θ · Σ_{k≥1} c[t−k, n] · g(k),   g(k) = ∫_{k−1}^{k} ω e^{−ωu} du = (1−q) q^{k−1}, q = e^{−ω},
 * i.e. the exponential kernel integrated over whole steps, so an event triggers from the next step on.
 * Fitted by expectation–maximisation over the branching structure. The geometric kernel lets every sum
 * over the past run as a recursion: S[t] = c[t−1] + q S[t−1] (excitation) and K[t] = c[t−1] + q (K[t−1] + S[t−1])
 * (lag-weighted excitation, for the ω update), which jumps in closed form over the steps without events,
 * so one iteration costs O(events + steps), whatever the number of cells.
 * `counts` is the window's events (sparse), or [steps, cells] dense counts (cells = stride). The fit
 * reads each active cell's events in step order, so its memory is O(events + cells + steps).
 */
export function fitSepp(
  counts: StepEvents | Float32Array,
  steps: number,
  cells: number,
  opts: SeppFitOptions = {},
): SeppFit {
  const maxIter = opts.maxIter ?? 200;
  const tol = opts.tol ?? 1e-7;
  const ev =
    counts instanceof Float32Array
      ? new StepEvents(storeOfDense(counts, null, steps, 1, cells), 0, steps)
      : counts.window(0, steps);
  const skip = opts.skip;
  const decay = opts.decay ?? 0;
  // Step weights: 1, or decaying with age; skipped steps weigh 0 in the likelihood.
  const w = decay > 0 ? new Float64Array(steps) : undefined;
  if (w) for (let t = 0; t < steps; t++) w[t] = Math.exp(-(steps - 1 - t) / decay);
  let observedSteps = 0;
  let observedWeight = 0;
  for (let t = 0; t < steps; t++)
    if (!skip?.[t]) {
      observedSteps++;
      observedWeight += w ? w[t] : 1;
    }
  // Each cell's events by step (skipped steps' events left out): a per-cell list, built in step order.
  const events = new Float64Array(cells);
  const stepTotals = new Float64Array(steps);
  const perCell = new Int32Array(cells + 1);
  for (let t = 0; t < steps; t++) {
    if (skip?.[t]) continue;
    ev.forEachTotal(t, (n, c) => {
      events[n] += c;
      stepTotals[t] += c;
      perCell[n + 1]++;
    });
  }
  for (let n = 0; n < cells; n++) perCell[n + 1] += perCell[n];
  const cellStep = new Int32Array(perCell[cells]);
  const cellCount = new Float32Array(perCell[cells]);
  const fill = perCell.slice(0, cells);
  for (let t = 0; t < steps; t++) {
    if (skip?.[t]) continue;
    ev.forEachTotal(t, (n, c) => {
      cellStep[fill[n]] = t;
      cellCount[fill[n]++] = c;
    });
  }
  // Only cells with events matter: the others have μ = 0 and no excitation.
  const active: number[] = [];
  let totalEvents = 0;
  for (let n = 0; n < cells; n++) {
    if (events[n] > 0) active.push(n);
    totalEvents += events[n];
  }
  const mu = new Float64Array(cells);
  let theta = opts.init?.theta ?? 0.2;
  let omega = opts.init?.omega ?? 0.1;
  for (const n of active)
    mu[n] = opts.init ? Math.max(opts.init.mu[n], 1e-6) : (0.5 * events[n]) / Math.max(1, observedSteps);
  let logLik = -Infinity;
  let iter = 0;
  if (totalEvents === 0 || steps < 2) return { mu, theta: 0, omega, iterations: 0, logLik: 0 };
  for (iter = 1; iter <= maxIter; iter++) {
    const q = Math.exp(-omega);
    const g1 = 1 - q;
    let trig = 0;
    let lagSum = 0;
    // Expected offspring of all events that fall on observed steps of the window (Σ over steps, not
    // cells): an event at t triggers g(k) at t + k, so exposure = Σ_t c_t Σ_{k ≥ 1, t+k observed} w[t+k] g(k).
    let exposure = 0;
    if (!skip && !w) {
      for (let t = steps - 1, qp = 1; t >= 0; t--, qp *= q) exposure += stepTotals[t] * (1 - qp);
    } else {
      // G[t] = Σ_{k ≥ 1, t+k < steps, not skipped} w[t+k] g(k), by a backward recursion.
      let G = 0;
      for (let t = steps - 1; t >= 0; t--) {
        exposure += stepTotals[t] * G;
        G = q * G + (skip?.[t] ? 0 : g1 * (w ? w[t] : 1));
      }
    }
    // The compensator Σ_{observed t} w_t λ[t, n], summed over cells, is Σ_n μ[n]·W + θ·exposure; the
    // event terms need S and K only at each cell's event steps. Between events the counts are 0, so
    // d steps on S → q^d S and K → q^d (K + d S): one pass over the events, O(events) an iteration.
    let ll = -theta * exposure;
    const newMu = new Float64Array(cells);
    for (const n of active) {
      const m = mu[n];
      ll -= m * observedWeight;
      let S = 0;
      let K = 0;
      let bg = 0;
      let cur = 0;
      for (let i = perCell[n]; i < perCell[n + 1]; i++) {
        const t = cellStep[i];
        const c = cellCount[i];
        const d = t - cur;
        if (d > 0) {
          const qd = q ** d;
          K = qd * (K + d * S);
          S = qd * S;
        }
        const exc = theta * g1 * S;
        const lam = m + exc;
        const wc = (w ? w[t] : 1) * c;
        ll += wc * Math.log(lam);
        bg += (wc * m) / lam;
        trig += (wc * exc) / lam;
        lagSum += (wc * theta * g1 * K) / lam;
        K = c + q * (K + S);
        S = c + q * S;
        cur = t + 1;
      }
      newMu[n] = bg / Math.max(w ? 1e-9 : 1, observedWeight);
    }
    mu.set(newMu);
    theta = exposure > 0 ? trig / exposure : 0;
    const meanLag = trig > 0 ? lagSum / trig : 1;
    // Geometric on {1,2,…}: mean 1/(1−q).
    const qNew = Math.min(1 - 1e-9, Math.max(1e-9, 1 - 1 / Math.max(meanLag, 1 + 1e-9)));
    omega = -Math.log(qNew);
    if (Math.abs(ll - logLik) <= tol * Math.abs(ll)) {
      logLik = ll;
      break;
    }
    logLik = ll;
  }
  return { mu, theta, omega, iterations: Math.min(iter, maxIter), logLik };
}

/** Intensity for the step after the counts, from a fit. */
export function seppIntensity(
  fit: SeppFit,
  counts: Float32Array,
  steps: number,
  cells: number,
): Float64Array {
  const q = Math.exp(-fit.omega);
  const out = new Float64Array(cells);
  for (let n = 0; n < cells; n++) {
    let S = 0;
    for (let t = 0; t < steps; t++) S = counts[t * cells + n] + q * S;
    out[n] = fit.mu[n] + fit.theta * (1 - q) * S;
  }
  return out;
}

/**
 * `sepp`: fits at each retraining point, then refreshes the fit with `stepIters` warm-started EM
 * iterations (one by default; 0: only at the retraining points) whenever a new step has arrived, so
 * the background includes yesterday like the counting models do. Predicts with the latest history.
 */
export function sepp(params: Record<string, string>): Forecaster {
  const r = paramReader('sepp', params);
  const iters = r.number('iters', 200, { integer: true, min: 1 });
  const warmIters = r.number('warm', 30, { integer: true, min: 1 });
  // EM iterations (warm-started) to refresh the fit when the history has grown by a step since the
  // last fit: an iteration costs O(events), so even a daily refresh is cheap. 0: no refresh.
  const stepIters = r.number('stepIters', STEP_ITERS_DEFAULT, { integer: true, min: 0 });
  // 1: holidays and the fireworks season (holidays.ts) are left out of the fit and do not excite
  // later steps; they are still forecast and scored. 0: every step counts (the pre-2018 default).
  const leaveOut = r.number('holidays', LEAVE_OUT_DEFAULT, { integer: true, min: 0, max: 1 }) === 1;
  // Fit on the last fitWindow steps only (0: all history).
  const fitWindow = r.number('fitWindow', FIT_WINDOW_DEFAULT, { integer: true, min: 0 });
  // Age (days) over which a step's weight in the fit falls by e (0: every step weighs the same).
  const decayDays = r.number('decay', DECAY_DEFAULT, { min: 0 });
  r.done();
  let fit: SeppFit | undefined;
  // The history the fit has seen: its buffer, offset and length (a sliding window moves the offset;
  // the refresh follows the history's end).
  let fitted: { source: object; offset: number; steps: number } | undefined;
  let dayStep = 1;
  // Excitation state S per cell, carried forward step by step (it depends on ω only through q).
  const cont = new Continuation();
  let S = new Float64Array(0);
  let q = NaN;
  let cal: { key: string; c: HolidayCalendar } | undefined;
  // Holiday flags per step of the history (1: left out), extended as the history grows.
  let flags: { key: string; v: Uint8Array; n: number } | undefined;
  const skipOf = (h: HistoryView, from: number, to: number): Uint8Array | undefined => {
    if (!leaveOut) return undefined;
    const hkey = (h.holidays ?? []).join(',');
    if (!cal || cal.key !== hkey) cal = { key: hkey, c: holidayCalendar(h.holidays ?? []) };
    const key = `${hkey}|${h.tz}|${h.step.unit}:${h.step.shiftStartHour ?? 0}|${h.stepStartMs(0)}`;
    if (!flags || flags.key !== key) flags = { key, v: new Uint8Array(Math.max(64, to)), n: 0 };
    if (flags.v.length < to) {
      const grown = new Uint8Array(Math.max(to, 2 * flags.v.length));
      grown.set(flags.v.subarray(0, flags.n));
      flags.v = grown;
    }
    for (let t = flags.n; t < to; t++)
      flags.v[t] = holidayOfStep(cal.c, h.tz, h.step, h.stepStartMs(t)) !== null ? 1 : 0;
    flags.n = Math.max(flags.n, to);
    return flags.v.slice(from, to);
  };
  const refit = (h: HistoryView, maxIter: number): SeppFit => {
    const cells = h.grid.rows * h.grid.cols;
    const from = fitWindow > 0 ? Math.max(0, h.steps - fitWindow) : 0;
    fit = fitSepp(h.events.window(from, h.steps), h.steps - from, cells, {
      maxIter: fit ? maxIter : iters,
      init: fit && fit.mu.length === cells ? fit : undefined,
      skip: skipOf(h, from, h.steps),
      decay: decayDays / stepDays(h.step),
    });
    fitted = { source: h.events.source, offset: h.offset, steps: h.steps };
    dayStep = stepDays(h.step);
    return fit;
  };
  return {
    name: 'sepp',
    params: {
      iters,
      warm: warmIters,
      stepIters,
      holidays: leaveOut ? 1 : 0,
      fitWindow,
      decay: decayDays,
    },
    classical: true,
    fit(h: HistoryView, ctx?: FitContext) {
      const f = refit(h, warmIters);
      ctx?.progress?.({
        job: 'sepp',
        phase: 'fit',
        done: 1,
        total: 1,
        metrics: { theta: f.theta, omegaPerDay: f.omega / dayStep, iterations: f.iterations },
      });
    },
    predict(h: HistoryView, horizon = 1) {
      const cells = h.grid.rows * h.grid.cols;
      if (!fit || fit.mu.length !== cells) this.fit(h);
      else if (
        stepIters > 0 &&
        fitted &&
        fitted.source === h.events.source &&
        h.offset + h.steps > fitted.offset + fitted.steps
      )
        refit(h, stepIters);
      const f = fit!;
      const qNow = Math.exp(-f.omega);
      const step = cont.advance(h);
      const to = step.to;
      if (step.fresh || qNow !== q) {
        // From scratch: S[n] = Σ_t c[t, n] q^{to−1−t} over the steps not left out, one pass over the
        // events (O(steps + events), not O(steps × cells)).
        S = new Float64Array(cells);
        q = qNow;
        const skip = skipOf(h, 0, to);
        const add = (n: number, c: number) => (S[n] += scale * c);
        let scale = 1;
        for (let t = to - 1; t >= 0 && scale > 1e-300; t--, scale *= q)
          if (!skip?.[t]) h.events.forEachTotal(t, add);
      } else {
        const skip = skipOf(h, step.from, to);
        for (let t = step.from; t < to; t++) {
          // c + q·S, as the dense recursion had it (addition is exact to commute): decay, then add.
          for (let n = 0; n < cells; n++) S[n] = q * S[n];
          if (!skip?.[t - step.from]) h.events.addTotal(S, t, t + 1);
        }
      }
      const out = new Float64Array(cells);
      for (let n = 0; n < cells; n++) out[n] = f.mu[n] + f.theta * (1 - q) * S[n];
      return repeatMap(out, horizon);
    },
    report(): FitReport {
      if (!fit) return {};
      const delay = seppMeanDelayDays(fit, dayStep);
      return {
        fitted: { theta: fit.theta, omegaPerDay: fit.omega / dayStep, meanDelayDays: delay },
        notes:
          delay < 2
            ? [
                `fitted mean delay ${delay.toFixed(2)} days (under 2): each forecast is mostly the last few days' events`,
              ]
            : [],
      };
    },
  };
}

/** Mean delay of the fitted triggering kernel, in days: geometric on whole steps, mean 1/(1 − e^{−ω}) steps. */
export function seppMeanDelayDays(fit: SeppFit, daysPerStep: number): number {
  return daysPerStep / (1 - Math.exp(-fit.omega));
}

const LEAVE_OUT_DEFAULT = 1;
const FIT_WINDOW_DEFAULT = 0;
const DECAY_DEFAULT = 365;
const STEP_ITERS_DEFAULT = 1;
