import { describe, expect, it } from 'vitest';
import { openDb } from '../db/connection.ts';
import { insertEvents, type FixtureEvent } from '../evaluate/testing/fixtures.ts';
import { buildTimeline, isoLocal, localToUtc } from '../grid/time.ts';
import type { Backend, EventSummary } from '../../shared/contract.ts';
import type { StepUnit } from '../../shared/types.ts';
import { eventSummary, eventWindow, runLengths } from './events.ts';
// The renderer's side of the same contract: its step axis and its windows of events.
import { BIG_JUMP, binCounts, StepAxis } from '../../renderer/src/state/steps.ts';
import {
  chunkBounds,
  chunkOf,
  CHUNK_EVENTS,
  CHUNK_SPAN_MS,
  CHUNK_STEPS,
  EventWindows,
} from '../../renderer/src/state/windows.ts';

const NY = 'America/New_York';
const at = (y: number, mo: number, d: number, h: number, mi = 0) => localToUtc(NY, y, mo, d, h, mi);

/** Events over the spring and autumn DST changes of 2018, a few per day, and one duplicate. */
function fixture() {
  const events: FixtureEvent[] = [];
  let n = 0;
  for (let day = 0; day < 260; day++) {
    const base = at(2018, 3, 1, 0) + day * 86_400_000;
    for (let k = 0; k < day % 4; k++) {
      events.push({
        utcMs: base + (k * 7 + 1) * 3_600_000 + 60_000,
        lat: 38.9 + (n % 7) * 0.01,
        lon: -77 + (n % 5) * 0.01,
        type: n % 3 === 0 ? 'multiple' : 'single',
      });
      n++;
    }
  }
  events.push({ ...events[5], duplicateOf: 6 });
  const db = openDb(':memory:');
  insertEvents(db, 'dst', NY, events);
  const distinct = events.filter((e) => !e.duplicateOf).sort((a, b) => a.utcMs - b.utcMs);
  return { db, distinct };
}

/** A backend whose 'events.range' is the core's. */
function coreBackend(db: ReturnType<typeof openDb>, calls: [number, number][] = []): Backend {
  return {
    invoke: (async (channel: string, req: { dataset: string; fromMs: number; toMs: number }) => {
      expect(channel).toBe('events.range');
      calls.push([req.fromMs, req.toMs]);
      return { ok: true, value: eventWindow(db, req.dataset, req.fromMs, req.toMs) };
    }) as Backend['invoke'],
    onProgress: () => () => undefined,
  };
}

describe('the map’s timeline and windows of events', () => {
  const { db, distinct } = fixture();

  it.each<StepUnit>(['hour', 'shift', 'day', 'week'])(
    'a %s timeline: its starts (run-length coded) and counts match the core’s steps, labels its isoLocal',
    (unit) => {
      const s = eventSummary(db, 'dst', unit);
      const tl = buildTimeline(NY, { unit }, distinct[0].utcMs, distinct[distinct.length - 1].utcMs + 1);
      expect(s.counts.length).toBe(tl.starts.length);
      expect(s.total).toBe(distinct.length);
      expect(s.counts.reduce((a, b) => a + b, 0)).toBe(distinct.length);
      expect(s.counts[s.counts.length - 1]).toBe(0);
      // Hours are one run; days and shifts break at the two DST changes.
      if (unit === 'hour') expect(s.runs.length).toBe(1);
      if (unit === 'day') expect(s.runs.length).toBe(5);
      const axis = new StepAxis(s);
      expect(Array.from(axis.starts)).toEqual(Array.from(tl.starts));
      for (let i = 0; i < axis.length; i += Math.max(1, Math.floor(axis.length / 97))) {
        expect(axis.iso(i)).toBe(isoLocal(NY, tl.starts[i]));
        expect(axis.indexAt(tl.starts[i] + 1)).toBe(i);
        expect(s.counts[i]).toBe(
          distinct.filter((e) => e.utcMs >= tl.starts[i] && e.utcMs < axis.endMs(i)).length,
        );
      }
      // A date opens on the step that holds its first moment.
      expect(axis.indexOfDate('2018-03-11')).toBe(axis.indexAt(at(2018, 3, 11, 0)));
      expect(axis.indexOfDate('2018-07-04')).toBe(axis.indexAt(at(2018, 7, 4, 0)));
      expect(axis.indexOfDate('2030-01-01')).toBe(-1);
      expect(axis.indexOfDate('2010-01-01')).toBe(-1);
      expect(BIG_JUMP[unit]).toBeGreaterThan(1);
    },
  );

  it('runLengths codes equal gaps as one run', () => {
    expect(runLengths([0, 10, 20, 30, 35, 40, 50])).toEqual([
      [3, 10],
      [2, 5],
      [1, 10],
    ]);
    expect(runLengths([7])).toEqual([]);
  });

  it('cuts the timeline into windows of whole steps, bounded in steps and events', () => {
    const counts = [...new Array<number>(600).fill(1), 15_000, 15_000, 30_000, 0, 0];
    const b = chunkBounds(counts);
    expect(b[0]).toBe(0);
    expect(b[b.length - 1]).toBe(counts.length);
    for (let c = 0; c + 1 < b.length; c++) {
      const steps = b[c + 1] - b[c];
      const events = counts.slice(b[c], b[c + 1]).reduce((x, y) => x + y, 0);
      expect(steps).toBeGreaterThan(0);
      expect(steps).toBeLessThanOrEqual(CHUNK_STEPS);
      // Over the bound only when one step holds more.
      expect(events <= CHUNK_EVENTS || steps === 1).toBe(true);
      for (let s = b[c]; s < b[c + 1]; s++) expect(chunkOf(b, s)).toBe(c);
    }
    expect(Array.from(chunkBounds([]))).toEqual([0]);
    // Weeks: 256 of them would pass events.range's year; a window stops within it.
    const weeks = eventSummary(db, 'dst', 'week');
    const starts = Float64Array.from({ length: 600 }, (_, i) => weeks.firstStartMs + i * 7 * 86_400_000);
    const axis = { starts, endMs: (i: number) => starts[i] + 7 * 86_400_000 };
    const wb = chunkBounds(new Array<number>(600).fill(3), axis);
    expect(wb.length).toBeGreaterThan(10);
    for (let c = 0; c + 1 < wb.length; c++) {
      expect(axis.endMs(wb[c + 1] - 1) - starts[wb[c]]).toBeLessThanOrEqual(CHUNK_SPAN_MS);
    }
  });

  it('the windows fetched through events.range hold each step’s events, once per window', async () => {
    const s: EventSummary = eventSummary(db, 'dst', 'hour');
    const axis = new StepAxis(s);
    const calls: [number, number][] = [];
    const w = new EventWindows(coreBackend(db, calls), 'dst', axis, s.counts);
    expect(w.chunkCount).toBe(Math.ceil(axis.length / CHUNK_STEPS));
    const steps = [0, 1, 300, 4000, axis.indexAt(at(2018, 11, 4, 1, 30)), axis.length - 1];
    for (const step of steps) {
      if (!w.has(w.chunkOf(step))) expect(w.stepSlice(step)).toBeNull();
      await Promise.all([w.load(w.chunkOf(step)), w.load(w.chunkOf(step))]);
      const slice = w.stepSlice(step)!;
      const got = Array.from(slice.chunk.utcMs.subarray(slice.from, slice.to));
      const want = distinct.filter((e) => e.utcMs >= axis.starts[step] && e.utcMs < axis.endMs(step));
      expect(got).toEqual(want.map((e) => e.utcMs));
      expect(slice.to - slice.from).toBe(s.counts[step]);
      expect(Array.from(slice.chunk.type.subarray(slice.from, slice.to))).toEqual(
        want.map((e) => (e.type === 'multiple' ? 1 : 0)),
      );
    }
    // One request per window, each within events.range's bound, the windows adjacent.
    expect(calls.length).toBe(new Set(steps.map((x) => w.chunkOf(x))).size);
    for (const [from, to] of calls) expect(to - from).toBeLessThanOrEqual(366 * 86_400_000);
    expect(w.chunksFor(300, 800)).toEqual([1, 2, 3]);
    expect(w.chunksFor(-6, 0)).toEqual([0]);
  });

  it('draws at most MAX_BARS bars, each summing its steps', () => {
    const counts = Array.from({ length: 43_824 }, (_, i) => i % 3);
    const { per, xs, ys } = binCounts(counts);
    expect(per).toBe(30);
    expect(ys.length).toBe(1461);
    expect(ys.reduce((a, b) => a + b, 0)).toBe(counts.reduce((a, b) => a + b, 0));
    expect(xs[0]).toBe(14.5);
    expect(binCounts([1, 2, 3])).toEqual({ per: 1, xs: [0, 1, 2], ys: [1, 2, 3] });
  });
});
