import { describe, expect, it } from 'vitest';
import {
  devianceWords,
  holidayWords,
  keptStart,
  keptStartWords,
  refitWords,
  startWords,
  typeWords,
  validationScoresWords,
} from './training-words.ts';

describe('training in plain words', () => {
  it('says so when the network kept its untrained start, and what its forecasts then are', () => {
    expect(keptStart({ bestEpoch: 0 })).toBe(true);
    expect(keptStartWords({ bestEpoch: 0 }, 'default')).toContain("the decayed KDE's map");
    expect(keptStartWords({ bestEpoch: 0 }, 'reference')).toContain('an untrained network');
    expect(keptStartWords({ bestEpoch: 3 }, 'default')).toBeNull();
    expect(keptStartWords({}, 'default')).toBeNull();
    // The start the model recorded wins over its preset: the calendar offset starts at the calendar.
    expect(keptStartWords({ bestEpoch: 0, start: 'calendar' }, 'default')).toContain(
      "the calendar baseline's",
    );
    expect(startWords('default', { start: 'calendar' })).toBe('its starting point (the calendar baseline)');
    expect(startWords('default', {})).toBe('its starting point (the decayed KDE)');
    expect(startWords('reference')).toBe('its untrained starting point');
  });

  it('gives the validation deviance beside the start, with the relative change', () => {
    // (0.1310 − 0.1290) / 0.1310 = 1.53 %
    expect(devianceWords({ valDeviance: 0.129, initialValDeviance: 0.131 })).toBe(
      'validation deviance 0.1290 (0.1310 at the start, 1.5 % lower)',
    );
    expect(devianceWords({ valDeviance: 0.131, initialValDeviance: 0.131 })).toBe(
      'validation deviance 0.1310 (as at the start)',
    );
    expect(devianceWords({ valDeviance: 'NaN' })).toBeNull();
  });

  it('says whether the type forecast beat the trailing-year mix', () => {
    expect(typeWords({ valTypeLogLoss: 0.9, valMixTypeLogLoss: 0.92 })).toContain('beat');
    expect(typeWords({ valTypeLogLoss: 0.93, valMixTypeLogLoss: 0.92 })).toContain('did not beat');
    // No type head trained: its uniform output was never a type forecast, so it is not compared.
    expect(typeWords({ valTypeLogLoss: 1.0986, valMixTypeLogLoss: 0.92, typeHead: 0 })).toContain(
      'no trained type head',
    );
    expect(typeWords({ valTypeLogLoss: 0.93 })).toBeNull();
  });

  it('says when the network then trained on the validation days too', () => {
    expect(refitWords({})).toBeNull();
    expect(refitWords({ refitEpochs: 0 })).toBeNull();
    expect(refitWords({ refitEpochs: 4 })).toBe(
      'It then trained 4 more epochs on the training and validation days together, so it has seen the latest days (its validation figures are from before).',
    );
    expect(refitWords({ refitEpochs: '1' })).toMatch(/^It then trained 1 more epoch on/);
    // A briefing's track record says its validation scores predate that training.
    expect(validationScoresWords({})).toBe(
      'These are the validation scores recorded at registration; the network was not refitted for this briefing.',
    );
    expect(validationScoresWords({ refitEpochs: 4 })).toBe(
      'These are the validation scores recorded at registration, before it trained 4 more epochs on these days too (so the network now in use has seen them); it was not refitted for this briefing.',
    );
    expect(validationScoresWords({ refitEpochs: 1 })).toContain('1 more epoch on these days');
  });

  it("names the dataset's own holidays a model trained with", () => {
    expect(holidayWords({})).toBeNull();
    expect(holidayWords({ extraHolidays: '' })).toBeNull();
    expect(holidayWords({ extraHolidays: '05-28' })).toBe(
      "It trained with the dataset's own holiday 05-28 besides the built-in ones.",
    );
    expect(holidayWords({ extraHolidays: '05-28,2018-11-11' })).toBe(
      "It trained with the dataset's own holidays 05-28, 2018-11-11 besides the built-in ones.",
    );
  });
});
