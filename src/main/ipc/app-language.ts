/**
 * Errors as the app shows them. The core words its errors for the CLI (file paths, `--tz`, `--map
 * lat=COLUMN`); in the app the file is the one the analyst chose, not the private temp copy the
 * handler made of its bytes, and a flag is the form field that sets the same thing.
 */
const FIELDS: [RegExp, string][] = [
  [/a known --city\b/g, 'a known City'],
  [/\bpass (--[a-z-]+)/g, 'set $1'],
  [/--tz ZONE\b/g, '--tz'],
  [/--map (\w+)=COLUMN/g, 'the column mapping ($1)'],
  [/--map\b( field=column)?/g, 'the column mapping'],
  [/--tz\b/g, 'the Time zone field'],
  [/--city\b/g, 'the City field'],
  [/--format\b/g, 'the Format field'],
  [/--dataset\b/g, 'the Dataset name field'],
  [/--units\b/g, 'the Units field'],
  [/--at\b/g, 'the Date field'],
  [/--model\b/g, 'the Model field'],
  [/--name-field\b/g, 'the Name field'],
];

export function inAppLanguage(message: string, files: { path: string; name: string }[] = []): string {
  let out = message;
  for (const f of files) out = out.split(f.path).join(f.name);
  for (const [re, field] of FIELDS) out = out.replace(re, field);
  return out;
}
