import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../shared/random.ts';
import { EventStoreBuilder, StepEvents, storeBytes, storeOfDense } from './events.ts';

/** Random events on a small grid: per step a list of (cell, channel), channel −1 for untyped. */
function randomSteps(steps: number, cells: number, seed: number): [number, number][][] {
  const rand = mulberry32(seed);
  return Array.from({ length: steps }, () =>
    Array.from({ length: Math.floor(rand() * 6) }, (): [number, number] => [
      Math.floor(rand() * cells),
      Math.floor(rand() * 4) - 1,
    ]),
  );
}

describe('sparse step events', () => {
  const steps = 40;
  const cells = 7;
  const types = 3;
  const list = randomSteps(steps, cells, 4);
  const b = new EventStoreBuilder(cells, types);
  for (const step of list) {
    for (const [c, k] of step) b.add(c, k);
    b.endStep();
  }
  const store = b.build();
  const ev = new StepEvents(store, 0, steps);
  // The dense counts written out directly.
  const total = new Float32Array(steps * cells);
  const typed = new Float32Array(steps * types * cells);
  list.forEach((step, s) =>
    step.forEach(([c, k]) => {
      total[s * cells + c]++;
      if (k >= 0) typed[(s * types + k) * cells + c]++;
    }),
  );

  it('holds one entry per cell (and per type and cell) with events, and gives the dense counts back', () => {
    let cellsWithEvents = 0;
    for (const v of total) if (v) cellsWithEvents++;
    expect(store.totalCell.length).toBe(cellsWithEvents);
    expect(Array.from(ev.denseTotal())).toEqual(Array.from(total));
    expect(Array.from(ev.denseTyped())).toEqual(Array.from(typed));
    expect(ev.count()).toBe(list.flat().length);
    expect(Array.from(ev.typeTotals())).toEqual(
      [0, 1, 2].map((k) => list.flat().filter(([, t]) => t === k).length),
    );
    // The same store from the dense arrays.
    const again = storeOfDense(total, typed, steps, types, cells);
    expect(Array.from(again.totalN)).toEqual(Array.from(store.totalN));
    expect(Array.from(again.typedCode)).toEqual(Array.from(store.typedCode));
    expect(storeBytes(store)).toBe(
      4 * (2 * (steps + 1) + 2 * store.totalCell.length + 2 * store.typedCell.length) +
        store.typedCell.length,
    );
  });

  it('adds and subtracts steps into a map, and windows see only their steps', () => {
    const acc = new Float64Array(cells);
    ev.addTotal(acc, 10, 20);
    ev.addTotal(acc, 10, 15, -1);
    const want = new Float64Array(cells);
    for (let s = 15; s < 20; s++) for (let c = 0; c < cells; c++) want[c] += total[s * cells + c];
    expect(Array.from(acc)).toEqual(Array.from(want));
    const w = ev.window(15, 20);
    expect(w.steps).toBe(5);
    expect(Array.from(w.total(0))).toEqual(Array.from(total.subarray(15 * cells, 16 * cells)));
    expect(Array.from(w.typed(4))).toEqual(
      Array.from(typed.subarray(19 * types * cells, 20 * types * cells)),
    );
    expect(w.source).toBe(ev.source);
    expect(() => w.total(5)).toThrow(RangeError);
    expect(() => w.window(0, 6)).toThrow(RangeError);
    expect(() => ev.total(-1)).toThrow(RangeError);
    const seen: [number, number][] = [];
    ev.forEachTotal(3, (c, n) => seen.push([c, n]));
    expect(seen).toEqual(
      Array.from(total.subarray(3 * cells, 4 * cells), (n, c) => [c, n] as [number, number]).filter(
        ([, n]) => n > 0,
      ),
    );
  });
});
