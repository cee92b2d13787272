import { describe, expect, it } from 'vitest';
import { isIsoDate, isIsoDateOrDateTime } from './dates.ts';
import { nameProblem, toName } from './names.ts';
import { parseRequest } from './contract.ts';

describe('the date rule', () => {
  it('agrees with the calendar for every day of 1999..2025 and refuses what it rolls over', () => {
    // Independent check: a day is real when a UTC Date built from it prints back the same text.
    for (let y = 1999; y <= 2025; y++)
      for (let m = 1; m <= 13; m++)
        for (let d = 0; d <= 32; d++) {
          const s = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          const t = new Date(`${s}T00:00:00Z`);
          const real = !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === s;
          expect(isIsoDate(s), s).toBe(real);
        }
  });

  it('takes a local time only in the date-or-time form, and only a real one', () => {
    expect(isIsoDate('2018-10-02T08:00')).toBe(false);
    expect(isIsoDateOrDateTime('2018-10-02T08:00')).toBe(true);
    expect(isIsoDateOrDateTime('2018-10-02T23:59:59')).toBe(true);
    expect(isIsoDateOrDateTime('2018-10-02T24:00')).toBe(false);
    expect(isIsoDateOrDateTime('2018-10-02T08:60')).toBe(false);
    expect(isIsoDateOrDateTime('2018-02-30T08:00')).toBe(false);
  });
});

describe('the name rule', () => {
  it('accepts the app names and refuses what the app cannot show', () => {
    expect(nameProblem('dc-sample')).toBeNull();
    expect(nameProblem('Oak_2013.v2')).toBeNull();
    expect(nameProblem('x'.repeat(100))).toBeNull();
    expect(nameProblem('x'.repeat(101))).toMatch(/101 characters/);
    expect(nameProblem('')).toMatch(/empty/);
    expect(nameProblem('a\nb')).toMatch(/newline/);
    expect(nameProblem('a b')).toMatch(/space/);
    expect(nameProblem('a/b')).toMatch(/'\/'/);
    expect(nameProblem('a\u0000b')).toMatch(/control character/);
  });

  it('makes any text into a name that follows the rule', () => {
    for (const text of ['my shots (2018)', '  ', '日本', 'a\nb', 'x'.repeat(500)])
      expect(nameProblem(toName(text))).toBeNull();
  });
});

describe('the IPC contract uses both rules', () => {
  const evaluate = {
    jobId: 'j1',
    dataset: 'dc',
    step: 'day',
    grid: { rows: 4, cols: 4 },
    models: ['kde'],
    testFrom: '2018-01-01',
    testTo: '2018-02-28',
    cadence: 'month',
    folds: 1,
  };
  it('accepts a good request', () => {
    expect(parseRequest('evaluate.run', evaluate).ok).toBe(true);
  });
  it('refuses 2018-02-30 and a name with a newline, naming the field', () => {
    const date = parseRequest('evaluate.run', { ...evaluate, testTo: '2018-02-30' });
    expect(date).toEqual({
      ok: false,
      error: 'evaluate.run: invalid argument testTo: expected a real date YYYY-MM-DD',
    });
    const name = parseRequest('datasets.rejects', { dataset: 'a\nb', limit: 1, offset: 0 });
    expect(name.ok).toBe(false);
    if (!name.ok)
      expect(name.error).toMatch(/^datasets\.rejects: invalid argument dataset: the name contains a newline/);
    const at = parseRequest('briefing.render', {
      dataset: 'dc',
      at: '2018-13-01',
      step: 'day',
      shiftStart: 0,
      units: 3,
      maxCells: 3,
      model: null,
      agency: null,
      marking: null,
    });
    expect(at.ok).toBe(false);
  });
});
