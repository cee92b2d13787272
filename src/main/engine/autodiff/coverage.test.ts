import { describe, expect, it } from 'vitest';
import { forwardOps } from './check.ts';
import { cases as elementwise } from './elementwise.cases.ts';
import { GRADIENTS } from './gradients/index.ts';
import { NO_GRADIENT_OPS } from './gradients/NoGradient.ts';
import { cases as structural } from './structural.cases.ts';

describe('gradient rule coverage', () => {
  it('every registered rule is exercised by at least one finite-difference case', () => {
    const covered = new Set([...elementwise, ...structural].flatMap(([, c]) => forwardOps(c)));
    // Sign stands in for the rules that cut the gradient; the rest of that family share its code.
    const exempt = new Set(NO_GRADIENT_OPS.filter((o) => o !== 'Sign'));
    const missing = [...GRADIENTS.keys()].filter((op) => !covered.has(op) && !exempt.has(op));
    expect(missing).toEqual([]);
  });
});
