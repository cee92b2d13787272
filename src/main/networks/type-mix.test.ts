import { describe, expect, it } from 'vitest';
import type { EventColumns } from '../db/queries/events.ts';
import { makeGrid } from '../grid/spec.ts';
import { buildTimeline, localToUtc } from '../grid/time.ts';
import { EVENT_TYPES } from '../../shared/types.ts';
import { MIX_FLOOR, mixLogLoss, trailingTypeMix, typesLearned } from './type-mix.ts';

const TZ = 'America/New_York';
const grid = makeGrid({ bbox: [38.8, -77.1, 39.0, -76.9], rows: 2, cols: 2 });
const A = { lat: 38.95, lon: -77.05 }; // cell 0
const B = { lat: 38.85, lon: -76.95 }; // cell 3
const OUTSIDE = { lat: 39.5, lon: -77.0 };
const at = (m: number, d: number, h = 12) => localToUtc(TZ, 2018, m, d, h);

function columns(
  rows: { t: number; type: (typeof EVENT_TYPES)[number]; p: { lat: number; lon: number }; dup?: boolean }[],
): EventColumns {
  rows.sort((a, b) => a.t - b.t);
  const n = rows.length;
  return {
    length: n,
    utcMs: Float64Array.from(rows, (r) => r.t),
    lat: Float64Array.from(rows, (r) => r.p.lat),
    lon: Float64Array.from(rows, (r) => r.p.lon),
    type: Uint8Array.from(rows, (r) => EVENT_TYPES.indexOf(r.type)),
    duplicate: Uint8Array.from(rows, (r) => (r.dup ? 1 : 0)),
    localMonth: new Uint8Array(n),
    localDay: new Uint8Array(n),
  };
}

describe('the trailing-year type mix', () => {
  // The year before 1 June 2018: 6 single, 3 multiple, 1 gunshot_or_firecracker in the grid; an unknown,
  // a duplicate and one outside the grid do not count. Validation: 1–3 June.
  const events = columns([
    ...Array.from({ length: 6 }, (_, i) => ({ t: at(3, 1 + i), type: 'single' as const, p: A })),
    ...Array.from({ length: 3 }, (_, i) => ({ t: at(4, 1 + i), type: 'multiple' as const, p: B })),
    { t: at(5, 1), type: 'gunshot_or_firecracker', p: A },
    { t: at(5, 2), type: 'unknown', p: A },
    { t: at(5, 3), type: 'multiple', p: A, dup: true },
    { t: at(5, 4), type: 'multiple', p: OUTSIDE },
    // 1 June: cell 0 two single, one multiple; cell 3 one multiple. 2 June: cell 0 one unknown only.
    { t: at(6, 1, 1), type: 'single', p: A },
    { t: at(6, 1, 2), type: 'single', p: A },
    { t: at(6, 1, 3), type: 'multiple', p: A },
    { t: at(6, 1, 4), type: 'multiple', p: B },
    { t: at(6, 2, 4), type: 'unknown', p: A },
  ]);

  it('is the share of each type among the typed events of the year before, on the grid', () => {
    const mix = trailingTypeMix(events, grid, at(6, 1, 0))!;
    expect(Array.from(mix)).toEqual([0.6, 0.3, 0.1].map((p) => expect.closeTo(p, 12)));
    // In the study cells only (cell 3 left out): 6 single, 1 gunshot_or_firecracker, no multiple (floored).
    const study = trailingTypeMix(events, grid, at(6, 1, 0), Uint8Array.from([1, 1, 1, 0]))!;
    const z = 6 / 7 + MIX_FLOOR + 1 / 7;
    expect(Array.from(study)).toEqual(
      [6 / 7 / z, MIX_FLOOR / z, 1 / 7 / z].map((p) => expect.closeTo(p, 12)),
    );
    expect(trailingTypeMix(events, grid, at(1, 1))).toBeNull();
  });

  it("scores the mix per validation cell-step with a typed event, as the network's type head is scored", () => {
    const timeline = buildTimeline(TZ, { unit: 'day' }, at(3, 1, 0), at(6, 4, 0));
    const from = timeline.starts.findIndex((s) => s === at(6, 1, 0));
    const mix = [0.6, 0.3, 0.1];
    const r = mixLogLoss(events, grid, timeline, from, mix);
    // Cell 0 on 1 June: shares 2/3 single, 1/3 multiple; cell 3: all multiple; 2 June has no typed event.
    const cell0 = -((2 / 3) * Math.log(0.6) + (1 / 3) * Math.log(0.3));
    const cell3 = -Math.log(0.3);
    expect(r.cellSteps).toBe(2);
    expect(r.logLoss).toBeCloseTo((cell0 + cell3) / 2, 12);
  });

  it('calls the head learned only when its validation log-loss is below the mix', () => {
    expect(typesLearned({ valTypeLogLoss: 0.9, valMixTypeLogLoss: 0.92 })).toBe(true);
    expect(typesLearned({ valTypeLogLoss: 0.92, valMixTypeLogLoss: 0.92 })).toBe(false);
    expect(typesLearned({ valTypeLogLoss: 0.9 })).toBe(false);
    expect(typesLearned({ valTypeLogLoss: NaN, valMixTypeLogLoss: 0.92 })).toBe(false);
  });
});
