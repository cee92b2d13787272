import { describe, expect, it } from 'vitest';
import { sessionOptions } from './session.ts';
import { Rng } from './rng.ts';

describe('session options', () => {
  it('default to 2 intra-op threads, no spinning, level all, sequential, arena on, memory pattern off', () => {
    const o = sessionOptions();
    expect(o).toMatchObject({
      intraOpNumThreads: 2,
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      enableCpuMemArena: true,
      enableMemPattern: false,
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
  });

  it('take the thread count and spinning from the caller', () => {
    const o = sessionOptions({ threads: 4, spinning: true });
    expect(o.intraOpNumThreads).toBe(4);
    expect(o.extra).toMatchObject({ session: { intra_op: { allow_spinning: '1' } } });
  });
});

describe('Rng', () => {
  it('restores its stream from a saved state', () => {
    const a = new Rng(42);
    a.next();
    const state = a.getState();
    const next3 = [a.next(), a.next(), a.next()];
    const b = new Rng(0);
    b.setState(state);
    expect([b.next(), b.next(), b.next()]).toEqual(next3);
    for (const v of next3) expect(v >= 0 && v < 1).toBe(true);
  });
});
