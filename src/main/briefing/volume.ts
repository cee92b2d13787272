/**
 * How many detections a forecast expects, in words an analyst can weigh: the expected citywide count for
 * the step (the forecast's expected counts summed over the study area) beside the typical figure for a
 * step like it, and the holiday when the step is one: "expected 41 (typical Saturday 17; July 4th)".
 *
 * Typical: the mean count over the study area of the trailing year's ordinary steps alike to this one
 * (the same local weekday; for shifts and hours also the same start time; every week for weekly steps).
 * Holidays and the fireworks season (holidays.ts) are left out of it, as they are what is not typical.
 * The trailing year is the 365 days before the step, clipped to the dataset's first event. It is
 * counted from the events themselves (distinct events on the grid, in study cells), the same events
 * the count tensor holds.
 */
import type { ReadonlyDb } from '../db/connection.ts';
import { eventsBetween, firstEventMs } from '../db/queries/events.ts';
import { holidayCalendar, holidayOfStep } from '../forecast/holidays.ts';
import { cellOf } from '../grid/spec.ts';
import { localParts, nextStepStart, stepStartAt } from '../grid/time.ts';
import type { GridSpec, StepSpec } from '../grid/types.ts';
import { MAX_UNITS } from './types.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export interface Volume {
  /** Expected detections in the step over the study area: the sum of the forecast's expected counts. */
  expected: number;
  /** Mean detections per alike ordinary step over the trailing year; null when the history holds none. */
  typical: number | null;
  /** How many steps the typical figure is the mean of. */
  typicalSteps: number;
  /** Which steps are alike, in words: "Saturday", "Saturday 07:00 shift", "Saturday 21:00 hour", "week". */
  like: string;
  /** The holiday the step falls on ("July 4th", "fireworks season", "one of the dataset's holidays"), or null. */
  holiday: string | null;
  /** The line the doors print, e.g. "expected 41 (typical Saturday 17; July 4th)". */
  text: string;
}

export interface VolumeInput {
  tz: string;
  grid: GridSpec;
  step: StepSpec;
  studyMask: Uint8Array;
  /** Expected events per cell in the step. */
  risk: ArrayLike<number>;
  /** UTC start of the forecast step. */
  cutoffMs: number;
  /** The dataset's extra holiday dates (YYYY-MM-DD or yearly MM-DD), beside the built-in list. */
  holidays?: readonly string[];
}

/** A count as the doors print it: whole numbers from 10 up, one decimal below. */
export function countText(x: number): string {
  return x >= 9.95 ? String(Math.round(x)) : x.toFixed(1);
}

/** Which alike-key a step start has (same key = alike), and the words for it. */
function alikeOf(tz: string, step: StepSpec, startMs: number): { key: number; like: string } {
  const p = localParts(tz, startMs);
  const dow = new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay();
  const hh = `${String(p.hour).padStart(2, '0')}:00`;
  switch (step.unit) {
    case 'week':
      return { key: 0, like: 'week' };
    case 'day':
      return { key: dow, like: WEEKDAYS[dow] };
    case 'shift':
      return { key: dow * 24 + p.hour, like: `${WEEKDAYS[dow]} ${hh} shift` };
    case 'hour':
      return { key: dow * 24 + p.hour, like: `${WEEKDAYS[dow]} ${hh} hour` };
  }
}

/** The first step start of the trailing year: the step holding the instant 365 days back, unless DST put that instant in the step before. */
function trailingYearStart(tz: string, step: StepSpec, cutoffMs: number, firstMs: number | null): number {
  const limit = cutoffMs - 365 * DAY_MS;
  let from = stepStartAt(tz, step, limit);
  if (from < limit - HOUR_MS) from = nextStepStart(tz, step, from);
  if (firstMs !== null) from = Math.max(from, stepStartAt(tz, step, firstMs));
  return from;
}

/**
 * The volume of a forecast from the events of the trailing year (pure: the caller reads them). `events`
 * are distinct events in [trailing year start, cutoff), oldest first; `firstMs` is the dataset's first
 * event (the trailing year does not reach before it).
 */
export function volumeFrom(
  input: VolumeInput,
  events: readonly { utcMs: number; lat: number; lon: number }[],
  firstMs: number | null,
): Volume {
  const { tz, step, grid, studyMask, risk, cutoffMs } = input;
  let expected = 0;
  for (let c = 0; c < studyMask.length; c++) if (studyMask[c]) expected += risk[c];
  const cal = holidayCalendar(input.holidays ?? []);
  const target = alikeOf(tz, step, cutoffMs);
  const kind = holidayOfStep(cal, tz, step, cutoffMs);
  // The alike ordinary steps of the trailing year, as [start, end) pairs in time order.
  const starts: number[] = [];
  const ends: number[] = [];
  for (let s = trailingYearStart(tz, step, cutoffMs, firstMs); s < cutoffMs;) {
    const e = nextStepStart(tz, step, s);
    if (alikeOf(tz, step, s).key === target.key && holidayOfStep(cal, tz, step, s) === null) {
      starts.push(s);
      ends.push(Math.min(e, cutoffMs));
    }
    s = e;
  }
  let count = 0;
  let k = 0;
  for (const ev of events) {
    while (k < starts.length && ev.utcMs >= ends[k]) k++;
    if (k === starts.length) break;
    if (ev.utcMs < starts[k]) continue;
    const cell = cellOf(grid, ev.lat, ev.lon);
    if (cell >= 0 && studyMask[cell]) count++;
  }
  const typical = starts.length > 0 ? count / starts.length : null;
  const holiday = kind === null ? null : cal.label(kind);
  const notes = [
    typical === null
      ? `no ${target.like} in the history before it`
      : `typical ${target.like} ${countText(typical)}`,
    ...(holiday ? [holiday] : []),
  ];
  return {
    expected,
    typical,
    typicalSteps: starts.length,
    like: target.like,
    holiday,
    text: `expected ${countText(expected)} (${notes.join('; ')})`,
  };
}

/** The volume of a forecast of a dataset: reads the trailing year's events, then `volumeFrom`. */
export function forecastVolume(db: ReadonlyDb, datasetId: number, input: VolumeInput): Volume {
  const firstMs = firstEventMs(db, datasetId);
  const from = trailingYearStart(input.tz, input.step, input.cutoffMs, firstMs);
  return volumeFrom(input, eventsBetween(db, datasetId, from, input.cutoffMs), firstMs);
}

export interface UnitSuggestion {
  units: number;
  /** The rule, with this step's numbers, in words. */
  rule: string;
}

/**
 * Units for the step: the routine deployment scaled by expected ÷ typical detections, rounded, between 1
 * and MAX_UNITS. With no typical figure the routine number stands.
 */
export function suggestUnits(v: Volume, routine: number): UnitSuggestion {
  if (v.typical === null || v.typical <= 0)
    return {
      units: routine,
      rule: `${routine} units, the routine number: there is no typical ${v.like} to compare the expected ${countText(v.expected)} detections with`,
    };
  const units = Math.max(1, Math.min(MAX_UNITS, Math.round((routine * v.expected) / v.typical)));
  return {
    units,
    rule: `${routine} routine units × expected ÷ typical ${v.like} detections (${countText(v.expected)} ÷ ${countText(v.typical)}), rounded, between 1 and ${MAX_UNITS}`,
  };
}
