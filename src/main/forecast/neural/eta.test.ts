import { describe, expect, it } from 'vitest';
import { trainEta } from './train-loop.ts';

describe('trainEta', () => {
  it('never exceeds what the time cap leaves, and says "at most" then', () => {
    // 10 s for 20 of 1000 steps: 490 s at this rate, but a 120 s cap leaves 110 s.
    expect(trainEta(10, 20, 1000, 120, false)).toEqual({ etaSeconds: 110, etaAtMost: true });
    expect(trainEta(130, 500, 1000, 120, false)).toEqual({ etaSeconds: 0, etaAtMost: true });
  });

  it('is the rate estimate without a cap; an upper bound when early stopping may end it sooner', () => {
    expect(trainEta(10, 20, 1000, 0, false)).toEqual({ etaSeconds: 490, etaAtMost: false });
    expect(trainEta(10, 20, 1000, 0, true)).toEqual({ etaSeconds: 490, etaAtMost: true });
    // A cap that leaves more than the rate needs: the rate's estimate, still a bound (the cap may end it).
    expect(trainEta(10, 20, 1000, 1000, false)).toEqual({ etaSeconds: 490, etaAtMost: true });
  });
});
