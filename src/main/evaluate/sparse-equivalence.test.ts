/**
 * The sparse history (issue #19) against the dense path it replaced: the walk-forward runs of
 * testing/equivalence-cases.ts on the DC sample give the scores that the dense [steps, cells] tensor
 * gave (recorded in testing/dense-baseline.json before the change): hit rates, PAI, PEI, AUC-PR,
 * Brier, accuracy, every probabilistic score and each model's fitted values, to 1e-9.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DC_SAMPLE } from '../../../test/paths.ts';
import { openDb } from '../db/connection.ts';
import '../app/wiring.ts';
import { BASELINE_FILE, CASES, loadDc, scoresOf } from './testing/equivalence-cases.ts';
import { runEvaluation } from './walkforward.ts';

const baseline = JSON.parse(readFileSync(BASELINE_FILE, 'utf8')) as Record<string, unknown>;

/** Every leaf number of `got` within 1e-9 (relative for large ones) of `want`, by path. */
function expectClose(got: unknown, want: unknown, path: string): void {
  if (typeof want === 'number') {
    expect(typeof got, path).toBe('number');
    const tol = 1e-9 * Math.max(1, Math.abs(want));
    if (Math.abs((got as number) - want) > tol) expect(got, path).toBe(want);
    return;
  }
  if (want === null || typeof want !== 'object') {
    expect(got, path).toEqual(want);
    return;
  }
  expect(got !== null && typeof got === 'object', path).toBe(true);
  const g = got as Record<string, unknown>;
  const w = want as Record<string, unknown>;
  expect(Object.keys(g).sort(), path).toEqual(Object.keys(w).sort());
  for (const k of Object.keys(w)) expectClose(g[k], w[k], `${path}.${k}`);
}

describe('sparse history = dense path on the DC sample', () => {
  const db = openDb(':memory:');
  loadDc(db, DC_SAMPLE);
  for (const [name, c] of Object.entries(CASES)) {
    it(`${name}: every classical model's scores as the dense path gave them`, async () => {
      const { result } = await runEvaluation(db, { dataset: 'dc', ...c });
      expect(result.models.length).toBeGreaterThan(5);
      expectClose(scoresOf(result), baseline[name], name);
    }, 120_000);
  }
});
