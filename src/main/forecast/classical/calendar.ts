import { localParts, stepDays } from '../../grid/time.ts';
import { HOLIDAY_KINDS, holidayCalendar, holidayOfStep, type HolidayCalendar } from '../holidays.ts';
import { paramReader } from '../registry.ts';
import type { FitReport, Forecaster, HistoryView, TypeForecast } from '../types.ts';
import { Continuation, repeatMap } from './common.ts';
import { kde } from './kde.ts';

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MONTH_DAYS = [31, 28.25, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The calendar position of one step: weekday, month, slot of the day (sub-daily steps) and holiday. */
interface StepKey {
  dow: number;
  month: number;
  slot: number;
  holiday: number; // index into HOLIDAY_KINDS, or −1
}

export interface CalendarFit {
  weekday: Float64Array; // 7
  month: Float64Array; // 12 (index month − 1)
  slot: Float64Array; // slots per day
  holiday: Float64Array; // HOLIDAY_KINDS.length
  /** Holiday steps seen in the fit, per kind. */
  holidaySteps: Int32Array;
  steps: number;
}

export type CalendarModel = Forecaster & {
  fitted(): CalendarFit | undefined;
  expectedTotal(h: HistoryView): { total: number; typical: number; holiday: string | null };
};

/**
 * `calendar`: the grid's expected total for the next step is the trailing year's mean count per
 * ordinary step (holidays left out) times weekday, month, time-of-day (sub-daily steps) and holiday
 * factors; the total is spread over cells by the decayed KDE (τ, σ). The factors are a multiplicative
 * Poisson regression of each step's total on its trailing-year mean, fitted at each refit by cyclic
 * (iterative proportional) updates, each the exact maximum-likelihood step for its factor, on the
 * last `fitYears` years; a holiday factor uses only the last `holidayYears` years (its latest
 * occurrence by default: how loud a holiday is changes from year to year) and is shrunk towards 1 by
 * `shrink` typical steps of pseudo-data. Defaults chosen on a 2017 walk-forward (README). Types: the
 * trailing year's mix, the same in every cell.
 */
export function calendar(params: Record<string, string>): CalendarModel {
  const r = paramReader('calendar', params);
  const tau = r.number('tau', 90, { min: 1e-6 });
  const sigma = r.number('sigma', 0.5, { min: 0 });
  const windowDays = r.number('window', 365, { min: 1 });
  const shrink = r.number('shrink', 0.25, { min: 0 });
  const holidayYears = r.number('holidayYears', 1.1, { min: 0 });
  const fitYears = r.number('fitYears', 2, { min: 0 });
  const iters = r.number('iters', 25, { integer: true, min: 1 });
  const normalize = r.number('normalize', 1, { integer: true, min: 0, max: 1 }) === 1;
  // Month factors shrunk towards 1 by this many typical steps of pseudo-data (README: on the five
  // validation years, month factors fitted on two years did not help; 240 ≈ no month factors).
  const monthShrink = r.number('monthShrink', 240, { min: 0 });
  r.done();
  const spread = kde({ tau: String(tau), sigma: String(sigma) });
  const cont = new Continuation();
  // Per visible step: total over the grid, and totals per type (carried from predict to predict).
  let totals: number[] = [];
  let typeTotals: number[] = [];
  // Per visible step: counted by the trailing mean (not left out, not a holiday), for flagsOf's holidays.
  let ordinaryFlags: boolean[] = [];
  let flagsOf: HolidayCalendar | undefined;
  let fit: CalendarFit | undefined;
  let cal: HolidayCalendar | undefined;
  let calKey = '';

  const calendarOf = (h: HistoryView): HolidayCalendar => {
    const key = (h.holidays ?? []).join(',');
    if (!cal || key !== calKey) {
      cal = holidayCalendar(h.holidays ?? []);
      calKey = key;
    }
    return cal;
  };

  const advance = (h: HistoryView): void => {
    const types = h.types.length;
    const c = calendarOf(h);
    const { from, to, fresh } = cont.advance(h);
    if (fresh || c !== flagsOf) {
      totals = [];
      typeTotals = [];
      ordinaryFlags = [];
      flagsOf = c;
      return advanceFrom(h, 0, to, types, c);
    }
    advanceFrom(h, from, to, types, c);
  };
  const advanceFrom = (h: HistoryView, from: number, to: number, types: number, c: HolidayCalendar) => {
    totals.length = from;
    typeTotals.length = from * types;
    ordinaryFlags.length = from;
    for (let s = from; s < to; s++) {
      // Whether the trailing mean counts the step: carried with it, so a forecast costs no calendar look-ups.
      ordinaryFlags.push(!h.excluded[s] && holidayOfStep(c, h.tz, h.step, h.stepStartMs(s)) === null);
      totals.push(h.events.count(s, s + 1));
      const byType = h.events.typeTotals(s, s + 1);
      for (let k = 0; k < types; k++) typeTotals.push(byType[k]);
    }
  };

  const windowSteps = (h: HistoryView) => Math.max(1, Math.round(windowDays / stepDays(h.step)));

  /** Mean total per ordinary step over the window before step s (NaN when none). */
  const trailingMean = (h: HistoryView, s: number, ok: (i: number) => boolean): number => {
    const w = windowSteps(h);
    let sum = 0;
    let n = 0;
    for (let i = Math.max(0, s - w); i < s; i++) {
      if (!ok(i)) continue;
      sum += totals[i];
      n++;
    }
    return n > 0 ? sum / n : NaN;
  };

  const self: CalendarModel = {
    name: 'calendar',
    params: {
      tau,
      sigma,
      window: windowDays,
      shrink,
      iters,
      holidayYears,
      fitYears,
      normalize: normalize ? 1 : 0,
      monthShrink,
    },
    classical: true,
    fit(h: HistoryView) {
      advance(h);
      const c = calendarOf(h);
      const w = windowSteps(h);
      // Rolling trailing mean for every step, by a running sum over the counted steps.
      // Which steps the trailing mean counts: not left out (fireworks exclusion) and not a holiday,
      // so a July 5th entering or leaving the window does not move the level of every other day.
      const ok = ordinaryFlags;
      const base = new Float64Array(h.steps);
      let sum = 0;
      let n = 0;
      for (let s = 0; s < h.steps; s++) {
        base[s] = n > 0 ? sum / n : NaN;
        if (ok[s]) {
          sum += totals[s];
          n++;
        }
        const drop = s - w + 1;
        if (drop >= 0 && ok[drop]) {
          sum -= totals[drop];
          n--;
        }
      }
      // Fit on steps with at least a few weeks (or a tenth of the window) behind them.
      const minSteps = Math.min(w, Math.max(7, Math.round(28 / stepDays(h.step))));
      const yearSteps = Math.round(365 / stepDays(h.step));
      const fitFrom =
        fitYears > 0 ? Math.max(minSteps, h.steps - Math.round(fitYears * yearSteps)) : minSteps;
      const holidayFrom = holidayYears > 0 ? h.steps - Math.round(holidayYears * yearSteps) : 0;
      const slots = slotsPerDay(h);
      // Holidays older than holidayYears are left out of the fit: how loud a holiday is changes from
      // year to year (DC's July 5th: 3,127 detections in 2014, 39 in 2016).
      const use: number[] = [];
      const keys: StepKey[] = [];
      for (let s = fitFrom; s < h.steps; s++) {
        if (h.excluded[s] || !(base[s] > 0)) continue;
        const k = keyOf(h, c, s, slots);
        if (k.holiday >= 0 && s < holidayFrom) continue;
        use.push(s);
        keys.push(k);
      }
      fit = fitFactors(
        use.map((s) => totals[s]),
        use.map((s) => base[s]),
        keys,
        slots,
        shrink,
        iters,
        normalize,
        monthShrink,
      );
    },
    predict(h: HistoryView, horizon = 1) {
      const cells = h.grid.rows * h.grid.cols;
      const { total } = self.expectedTotal(h);
      const map = spread.predict(h, 1) as Float32Array;
      let s = 0;
      for (let i = 0; i < cells; i++) s += map[i];
      const out = new Float64Array(cells);
      if (s > 0) for (let i = 0; i < cells; i++) out[i] = (total * map[i]) / s;
      return repeatMap(out, horizon);
    },
    predictWithTypes(h: HistoryView): TypeForecast {
      const rates = self.predict(h, 1) as Float32Array;
      const cells = rates.length;
      const types = h.types.length;
      const w = windowSteps(h);
      const n = new Float64Array(types);
      for (let s = Math.max(0, h.steps - w); s < h.steps; s++)
        for (let k = 0; k < types; k++) n[k] += typeTotals[s * types + k];
      let all = 0;
      for (let k = 0; k < types; k++) all += n[k] + 0.5;
      const probs = new Float32Array(types * cells);
      for (let k = 0; k < types; k++) probs.fill((n[k] + 0.5) / all, k * cells, (k + 1) * cells);
      return { rates, typeProbs: probs };
    },
    /** The expected grid total of the next step, the typical one for its weekday (no holiday), and its holiday. */
    expectedTotal(h: HistoryView) {
      advance(h);
      if (!fit) self.fit(h);
      const f = fit!;
      const c = calendarOf(h);
      const base = trailingMean(h, h.steps, (i) => ordinaryFlags[i]);
      const k = keyOf(h, c, h.steps, f.slot.length);
      const typical =
        (Number.isFinite(base) ? base : 0) * f.weekday[k.dow] * f.month[k.month] * f.slot[k.slot];
      const total = k.holiday >= 0 ? typical * f.holiday[k.holiday] : typical;
      return { total, typical, holiday: k.holiday >= 0 ? HOLIDAY_KINDS[k.holiday] : null };
    },
    fitted: () => fit,
    report(): FitReport {
      if (!fit) return {};
      const fitted: Record<string, number> = {};
      WEEKDAYS.forEach((d, i) => (fitted[`weekday.${d}`] = fit!.weekday[i]));
      HOLIDAY_KINDS.forEach((k, i) => (fitted[`holiday.${k}`] = fit!.holiday[i]));
      const notes = HOLIDAY_KINDS.filter((_, i) => fit!.holidaySteps[i] === 0 && i < HOLIDAY_KINDS.length)
        .filter((k) => k !== 'extra' || (cal?.extra.length ?? 0) > 0)
        .map((k) => `no ${k} day in the fit: its factor stays 1`);
      return { fitted, notes };
    },
  };
  return self;
}

function slotsPerDay(h: HistoryView): number {
  return h.step.unit === 'hour' ? 24 : h.step.unit === 'shift' ? 3 : 1;
}

function keyOf(h: HistoryView, cal: HolidayCalendar, s: number, slots: number): StepKey {
  const ms = h.stepStartMs(s);
  const p = localParts(h.tz, ms);
  const dow = new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay();
  const slot =
    slots === 24
      ? p.hour
      : slots === 3
        ? Math.floor(((((p.hour - (h.step.shiftStartHour ?? 0)) % 24) + 24) % 24) / 8)
        : 0;
  const kind = holidayOfStep(cal, h.tz, h.step, ms);
  return { dow, month: p.month - 1, slot, holiday: kind ? HOLIDAY_KINDS.indexOf(kind) : -1 };
}

/**
 * Multiplicative Poisson regression y_s ~ Poisson(b_s · w[dow] · m[month] · o[slot] · h[holiday]) by
 * cyclic exact updates: each factor becomes Σ y / Σ (expected without that factor) over its steps.
 */
export function fitFactors(
  y: readonly number[],
  base: readonly number[],
  keys: readonly StepKey[],
  slots: number,
  shrink: number,
  iters: number,
  normalize = false,
  monthShrink = 0,
): CalendarFit {
  const weekday = new Float64Array(7).fill(1);
  const month = new Float64Array(12).fill(1);
  const slot = new Float64Array(slots).fill(1);
  const holiday = new Float64Array(HOLIDAY_KINDS.length).fill(1);
  const holidaySteps = new Int32Array(HOLIDAY_KINDS.length);
  for (const k of keys) if (k.holiday >= 0) holidaySteps[k.holiday]++;
  const n = y.length;
  let meanY = 0;
  for (const v of y) meanY += v;
  meanY = n > 0 ? meanY / n : 0;
  const expectedWithout = (i: number, skip: 'w' | 'm' | 'o' | 'h') => {
    const k = keys[i];
    let e = base[i];
    if (skip !== 'w') e *= weekday[k.dow];
    if (skip !== 'm') e *= month[k.month];
    if (skip !== 'o') e *= slot[k.slot];
    if (skip !== 'h' && k.holiday >= 0) e *= holiday[k.holiday];
    return e;
  };
  const update = (
    f: Float64Array,
    idx: (k: StepKey) => number,
    skip: 'w' | 'm' | 'o' | 'h',
    prior: number,
  ) => {
    const num = new Float64Array(f.length);
    const den = new Float64Array(f.length);
    for (let i = 0; i < n; i++) {
      const j = idx(keys[i]);
      if (j < 0) continue;
      num[j] += y[i];
      den[j] += expectedWithout(i, skip);
    }
    // Shrinkage: `prior` pseudo-steps of a typical total at factor 1.
    for (let j = 0; j < f.length; j++) {
      const a = prior * meanY;
      if (den[j] + a > 0) f[j] = (num[j] + a) / (den[j] + a);
    }
  };
  for (let it = 0; it < iters; it++) {
    update(weekday, (k) => k.dow, 'w', 0);
    update(month, (k) => k.month, 'm', monthShrink);
    if (slots > 1) update(slot, (k) => k.slot, 'o', 0);
    update(holiday, (k) => k.holiday, 'h', shrink);
  }
  // A weekday or month never seen keeps factor 1 (the update leaves it when both sums are 0).
  if (normalize) {
    // Seasonal factors average 1 over their cycle (a month weighted by its days), so the level is the
    // trailing mean's: the fit's overall ratio of counts to trailing means (a trend, or a first
    // year whose trailing mean covers only its first weeks) is not carried into the forecast.
    const scale = (f: Float64Array, weight: (j: number) => number) => {
      let m = 0;
      let wsum = 0;
      for (let j = 0; j < f.length; j++) {
        m += weight(j) * f[j];
        wsum += weight(j);
      }
      if (m > 0) for (let j = 0; j < f.length; j++) f[j] *= wsum / m;
    };
    scale(weekday, () => 1);
    scale(month, (j) => MONTH_DAYS[j]);
    scale(slot, () => 1);
  }
  return { weekday, month, slot, holiday, holidaySteps, steps: n };
}

/**
 * The calendar model's expected grid total for each step t in [from, to] (index t − from), each from
 * the steps strictly before t, its factors refitted at the first step of each local month (as the
 * evaluation's monthly cadence refits it): the level of the network's calendar offset.
 */
export function calendarTotals(
  h: HistoryView,
  from: number,
  to = h.steps,
  params: Record<string, string> = {},
): Float64Array {
  const model = calendar(params);
  const out = new Float64Array(to - from + 1);
  let month = -1;
  for (let t = from; t <= to; t++) {
    const view: HistoryView = { ...h, steps: t, excluded: h.excluded.subarray(0, t) };
    const p = localParts(h.tz, h.stepStartMs(t));
    const m = p.year * 12 + p.month;
    if (m !== month) {
      model.fit(view);
      month = m;
    }
    out[t - from] = model.expectedTotal(view).total;
  }
  return out;
}
