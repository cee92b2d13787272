import { describe, expect, it } from 'vitest';
import { inAppLanguage } from './app-language.ts';

describe('errors in the app’s words', () => {
  it('names the analyst’s file instead of the temp copy, and the form field instead of the CLI flag', () => {
    const tmp = '/tmp/shotcast-upload-Ab12/garbage.csv';
    expect(
      inAppLanguage(
        `${tmp}, line 3: cannot tell the time zone of a generic file; pass --tz or a known --city`,
        [{ path: tmp, name: 'garbage.csv' }],
      ),
    ).toBe(
      'garbage.csv, line 3: cannot tell the time zone of a generic file; set the Time zone field or a known City',
    );
    expect(
      inAppLanguage(
        'cannot tell the time zone of x.csv (generic format): pass --tz ZONE (IANA, e.g. America/New_York) or a known --city',
      ),
    ).toBe(
      'cannot tell the time zone of x.csv (generic format): set the Time zone field (IANA, e.g. America/New_York) or a known City',
    );
    expect(inAppLanguage('no lat column found (header: a, b); name it with --map lat=COLUMN')).toBe(
      'no lat column found (header: a, b); name it with the column mapping (lat)',
    );
    expect(inAppLanguage('name the format with --format or the columns with --map')).toBe(
      'name the format with the Format field or the columns with the column mapping',
    );
  });
});
