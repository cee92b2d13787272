import { describe, expect, it } from 'vitest';
import { checkGradients } from './check.ts';
import { cases } from './structural.cases.ts';

describe('structural and conv gradient rules match central differences', () => {
  for (const [name, c] of cases) {
    it(name, async () => {
      const r = await checkGradients({ maxElements: 40, ...c });
      expect(r.failures).toEqual([]);
      expect(r.checked).toBeGreaterThan(0);
    });
  }
});
