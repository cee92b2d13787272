import { describe, expect, it } from 'vitest';
import { skillFromRun, type StoredEvaluation } from './skill.ts';

const run: StoredEvaluation = {
  testFrom: '2018-01-01',
  testTo: '2018-09-30',
  step: 'day',
  models: [
    { name: 'counts-all', spec: 'counts-all', classical: true, hitRate: { '5': 0.3 }, pai: { '5': 6 } },
    { name: 'counts-Nd', spec: 'counts-365d', classical: true, hitRate: { '5': 0.36 }, pai: { '5': 7.2 } },
    { name: 'kde', spec: 'kde:tau=90,sigma=0.5', classical: true, hitRate: { '5': 0.38 }, pai: { '5': 7.6 } },
    { name: 'convlstm', spec: 'convlstm', classical: false, hitRate: { '5': 0.41 }, pai: { '5': 8.2 } },
  ],
};

describe('skillFromRun', () => {
  it('states the model beside the best other classical baseline, in plain language', () => {
    const s = skillFromRun(run, { spec: 'kde:tau=90,sigma=0.5', name: 'kde' });
    expect(s?.baseline?.name).toBe('counts-365d');
    expect(s?.sentence).toBe(
      'In 2018 testing (1 Jan 2018 to 30 Sep 2018), the 5 % of the area this model flagged held 38 % of next-day gunfire (PAI 7.6); last year’s hot spots (counts-365d), the best classical baseline, held 36 % (PAI 7.2).',
    );
  });
  it('compares a neural model with the best classical one, and returns null for a model the run did not score', () => {
    const s = skillFromRun(run, { spec: 'convlstm', name: 'convlstm' });
    expect(s?.model.hitRate).toBe(0.41);
    expect(s?.baseline?.name).toBe('kde:tau=90,sigma=0.5');
    expect(skillFromRun(run, { spec: 'sepp', name: 'sepp' })).toBeNull();
  });
  it('shows a decimal when whole percents would make two different hit rates look equal', () => {
    const close: StoredEvaluation = {
      ...run,
      models: [
        { name: 'a', spec: 'counts-365d', classical: true, hitRate: { '5': 0.3754 }, pai: { '5': 7.6 } },
        { name: 'kde', spec: 'kde', classical: true, hitRate: { '5': 0.3772 }, pai: { '5': 7.63 } },
      ],
    };
    const s = skillFromRun(close, { spec: 'kde', name: 'kde' });
    expect(s?.sentence).toContain('held 37.7 % of next-day gunfire');
    expect(s?.sentence).toContain('held 37.5 % (PAI 7.6)');
  });
});
