import { describe, expect, it } from 'vitest';
import { openDb } from '../db/connection.ts';
import { eventsBBox, loadEventColumns } from '../db/queries/events.ts';
import { insertEvents, type FixtureEvent } from '../evaluate/testing/fixtures.ts';
import { makeGrid } from './spec.ts';
import { dataMask, maskCount } from './study.ts';
import { StepEvents } from '../history/events.ts';
import { buildTensor } from './tensor.ts';
import { buildTimeline, localToUtc, parseLocal } from './time.ts';

const NY = 'America/New_York';
const at = (y: number, mo: number, d: number, h: number) => localToUtc(NY, y, mo, d, h);

function fixture(events: FixtureEvent[]) {
  const db = openDb(':memory:');
  const id = insertEvents(db, 't', NY, events);
  return { db, id };
}

describe('count tensor', () => {
  // 2×2 grid over [0,0]..[2,2]: cell 0 NW, 1 NE, 2 SW, 3 SE.
  const grid = makeGrid({ bbox: [0, 0, 2, 2], rows: 2, cols: 2 });
  const events: FixtureEvent[] = [
    { utcMs: at(2018, 3, 10, 23), lat: 1.5, lon: 0.5, type: 'single' }, // day 0, NW
    { utcMs: at(2018, 3, 11, 0), lat: 0.5, lon: 1.5, type: 'multiple' }, // day 1 (23 h day), SE
    { utcMs: at(2018, 3, 11, 23), lat: 0.5, lon: 1.5, type: 'multiple' }, // still day 1
    { utcMs: at(2018, 3, 11, 23), lat: 0.5, lon: 1.5, type: 'multiple', duplicateOf: 2 }, // duplicate: left out
    { utcMs: at(2018, 3, 12, 0), lat: 2, lon: 2, type: 'gunshot_or_firecracker' }, // day 2, NE corner → cell 1
    { utcMs: at(2018, 3, 12, 5), lat: 0, lon: 0, type: 'unknown' }, // in the total, in no channel; SW → cell 2
    { utcMs: at(2018, 3, 12, 6), lat: 3, lon: 1, type: 'single' }, // outside the grid
  ];

  it('counts typed events per [step, type, row, col] and every event per [step, row, col], leaving out duplicates', () => {
    const { db, id } = fixture(events);
    const cols = loadEventColumns(db, id);
    expect(cols.length).toBe(6);
    const tl = buildTimeline(NY, { unit: 'day' }, parseLocal(NY, '2018-03-10'), parseLocal(NY, '2018-03-13'));
    const t = buildTensor(cols, grid, tl);
    const ev = new StepEvents(t.store, 0, t.store.steps);
    const data = ev.denseTyped();
    expect(data.length).toBe(3 * 3 * 4);
    // Sparse: one entry per cell with events in a step (4 cells), one per (type, cell) typed (3).
    expect([t.store.totalCell.length, t.store.typedCell.length]).toEqual([4, 3]);
    expect(Array.from(t.store.totalStart)).toEqual([0, 1, 2, 4]);
    expect(Array.from(t.store.totalN)).toEqual([1, 2, 1, 1]);
    const nz: string[] = [];
    data.forEach((v, i) => {
      if (v) nz.push(`${Math.floor(i / 12)},${Math.floor(i / 4) % 3},${i % 4}=${v}`);
    });
    expect(nz).toEqual(['0,0,0=1', '1,1,3=2', '2,2,1=1']);
    expect(t.events).toBe(5);
    expect(t.typed).toBe(4);
    expect(t.untyped).toBe(1);
    expect(t.dropped).toEqual({ outsideGrid: 1, fireworks: 0 });
    // The total holds the unknown-type event (day 2, cell 2) beside the typed ones.
    expect(Array.from(ev.denseTotal())).toEqual([1, 0, 0, 0, 0, 0, 0, 2, 0, 1, 1, 0]);
    expect(ev.count()).toBe(5);
    expect(eventsBBox(db, id)).toEqual([0, 0, 3, 2]);
    // Only the events before a cut-off, so a data-derived grid does not depend on later events.
    expect(eventsBBox(db, id, at(2018, 3, 12, 0))).toEqual([0.5, 0.5, 1.5, 1.5]);
  });

  it('a dataset with no typed event still has its total, and empty type channels', () => {
    const { db, id } = fixture(events.map((e) => ({ ...e, type: 'unknown' as const })));
    const cols = loadEventColumns(db, id);
    const tl = buildTimeline(NY, { unit: 'day' }, parseLocal(NY, '2018-03-10'), parseLocal(NY, '2018-03-13'));
    const t = buildTensor(cols, grid, tl);
    const ev = new StepEvents(t.store, 0, t.store.steps);
    expect(ev.denseTyped().every((v) => v === 0)).toBe(true);
    expect(t.store.typedCell.length).toBe(0);
    expect(Array.from(ev.denseTotal())).toEqual([1, 0, 0, 0, 0, 0, 0, 2, 0, 1, 1, 0]);
    expect([t.events, t.typed, t.untyped]).toEqual([5, 0, 5]);
  });

  it('leaves out the fireworks windows when asked, and flags those steps', () => {
    const { db, id } = fixture([
      { utcMs: at(2017, 12, 28, 23), lat: 1, lon: 1, type: 'single' },
      { utcMs: at(2017, 12, 29, 0), lat: 1, lon: 1, type: 'single' },
      { utcMs: at(2018, 1, 2, 23), lat: 1, lon: 1, type: 'single' },
      { utcMs: at(2018, 1, 3, 0), lat: 1, lon: 1, type: 'single' },
    ]);
    const cols = loadEventColumns(db, id);
    const tl = buildTimeline(NY, { unit: 'day' }, parseLocal(NY, '2017-12-28'), parseLocal(NY, '2018-01-04'));
    const on = buildTensor(cols, grid, tl, { excludeFireworks: true });
    expect(on.events).toBe(2);
    expect(Array.from(on.excluded)).toEqual([0, 1, 1, 1, 1, 1, 0]);
    expect(on.dropped.fireworks).toBe(2);
    expect(buildTensor(cols, grid, tl).events).toBe(4);
  });

  it('study area: cells with a distinct event strictly before the date', () => {
    const { db, id } = fixture(events);
    const cols = loadEventColumns(db, id);
    const mask = dataMask(grid, cols, at(2018, 3, 11, 23));
    expect(Array.from(mask)).toEqual([1, 0, 0, 1]);
    expect(maskCount(dataMask(grid, cols, at(2018, 3, 11, 0)))).toBe(1);
  });

  it('loads only events before a cut-off when asked', () => {
    const { db, id } = fixture(events);
    expect(loadEventColumns(db, id, { beforeMs: at(2018, 3, 11, 23) }).length).toBe(2);
    expect(loadEventColumns(db, id, { includeDuplicates: true }).length).toBe(7);
    const c = loadEventColumns(db, id);
    expect(Array.from(c.localMonth.subarray(0, 2))).toEqual([3, 3]);
    expect(Array.from(c.localDay.subarray(0, 2))).toEqual([10, 11]);
  });
});
