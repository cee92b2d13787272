import { describe, expect, it } from 'vitest';
import './all.ts';
import { createForecaster, hasForecaster, parseModelList, registerForecaster } from './registry.ts';

describe('model lists and params', () => {
  it("parses the issue's list, where kde's params contain a comma", () => {
    const specs = parseModelList('counts-all,counts-365d,kde:tau=90,sigma=0.5,prospective,sepp,persistence');
    expect(specs.map((s) => s.name)).toEqual([
      'counts-all',
      'counts-365d',
      'kde',
      'prospective',
      'sepp',
      'persistence',
    ]);
    expect(specs[2]).toEqual({
      spec: 'kde:tau=90,sigma=0.5',
      name: 'kde',
      params: { tau: '90', sigma: '0.5' },
    });
  });

  it('makes each classical model with its resolved params', () => {
    expect(createForecaster('kde:tau=30,sigma=1').params).toEqual({ tau: 30, sigma: 1 });
    expect(createForecaster('kde').params).toEqual({ tau: 90, sigma: 0.5 });
    const c = createForecaster('counts-28d');
    expect([c.name, c.params]).toEqual(['counts-28d', { n: 28 }]);
    expect(createForecaster('counts-365d').params).toEqual({ n: 365 });
    expect(createForecaster('prospective:bw=3,weeks=4').params).toEqual({ bw: 3, weeks: 4 });
    for (const n of ['counts-all', 'sepp', 'persistence']) expect(createForecaster(n).classical).toBe(true);
  });

  it('says what is wrong with a bad model or param', () => {
    expect(() => createForecaster('nosuch')).toThrow(/unknown model 'nosuch'/);
    expect(() => createForecaster('kde:tau=abc')).toThrow(/kde: tau must be a number, got 'abc'/);
    expect(() => createForecaster('kde:bogus=1')).toThrow(/kde: unknown parameter 'bogus'/);
    expect(() => createForecaster('kde:tau=-1')).toThrow(/tau must be ≥/);
    expect(() => parseModelList('tau=3,kde')).toThrow(/before any model/);
    expect(() => parseModelList('kde:tau')).toThrow(/key=value/);
    expect(() => parseModelList(',')).toThrow(/no model/);
  });

  it('is open: another module can register a model', () => {
    registerForecaster('test-const', (p) => ({
      name: 'test-const',
      params: { v: Number(p.v ?? 1) },
      fit() {},
      predict: (h) => new Float32Array(h.grid.rows * h.grid.cols).fill(Number(p.v ?? 1)),
    }));
    expect(hasForecaster('test-const')).toBe(true);
    expect(createForecaster('test-const:v=3').params).toEqual({ v: 3 });
    expect(() => registerForecaster('test-const', () => createForecaster('kde'))).toThrow(/twice/);
  });
});

describe('stored models', () => {
  it('`model:ID` names a registered model by id, beside the others in a list', () => {
    expect(parseModelList('counts-365d,model:12,kde:tau=90,sigma=0.5')).toEqual([
      { spec: 'counts-365d', name: 'counts-365d', params: {} },
      { spec: 'model:12', name: 'model', params: { id: '12' } },
      { spec: 'kde:tau=90,sigma=0.5', name: 'kde', params: { tau: '90', sigma: '0.5' } },
    ]);
  });
});
