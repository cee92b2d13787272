import { describe, expect, it } from 'vitest';
import { checkGradients } from './check.ts';
import { cases } from './elementwise.cases.ts';

describe('gradient rules match central differences (float64, eps 1e-6)', () => {
  for (const [name, c] of cases) {
    it(name, async () => {
      const r = await checkGradients(c);
      expect(r.failures).toEqual([]);
      expect(r.checked).toBeGreaterThan(0);
    });
  }
});
