import { UsageError } from '../main/util/errors.ts';
import { DATE_FORM, isIsoDate, isIsoDateOrDateTime } from '../shared/dates.ts';
import { nameProblem } from '../shared/names.ts';

type Values = Record<string, string | boolean | string[] | undefined>;

export function requireString(values: Values, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

export function optionalString(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function optionalNumber(
  values: Values,
  name: string,
  opts: { integer?: boolean; min?: number; max?: number } = {},
): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (
    typeof v !== 'string' ||
    v.trim() === '' ||
    !Number.isFinite(n) ||
    (opts.integer && !Number.isInteger(n))
  ) {
    throw new UsageError(`--${name} must be ${opts.integer ? 'an integer' : 'a number'}, got '${String(v)}'`);
  }
  if (opts.min !== undefined && n < opts.min)
    throw new UsageError(`--${name} must be at least ${opts.min}, got ${n}`);
  if (opts.max !== undefined && n > opts.max)
    throw new UsageError(`--${name} must be at most ${opts.max}, got ${n}`);
  return n;
}

/** Parses a date YYYY-MM-DD (a real calendar day); the error names the option and the form. */
export function optionalDate(values: Values, name: string): string | undefined {
  const v = optionalString(values, name);
  if (v === undefined) return undefined;
  if (!isIsoDate(v)) throw new UsageError(dateMessage(name, v, DATE_FORM));
  return v;
}

function dateMessage(name: string, v: string, form: string): string {
  return `--${name} must be a real date in the form ${form}, got '${v.length > 40 ? v.slice(0, 40) + '…' : v}'`.replace(
    /[\r\n]/g,
    ' ',
  );
}

/**
 * Options whose values follow one rule in every command, checked before any command runs: dates
 * must be real calendar days (2018-02-30 is refused, not rolled into March), names must follow the
 * app's name rule. A command still checks whether it needs the option at all.
 */
const DATE_OPTIONS: Record<string, 'date' | 'date-or-time'> = {
  'test-from': 'date',
  'test-to': 'date',
  'train-to': 'date',
  'val-to': 'date',
  at: 'date-or-time',
};
const NAME_OPTIONS = ['dataset', 'study'];

export function checkCommonOptions(values: Values): void {
  for (const [name, kind] of Object.entries(DATE_OPTIONS)) {
    const v = values[name];
    if (typeof v !== 'string') continue;
    if (kind === 'date' ? !isIsoDate(v) : !isIsoDateOrDateTime(v))
      throw new UsageError(
        dateMessage(name, v, kind === 'date' ? DATE_FORM : `${DATE_FORM} (or ${DATE_FORM}THH:MM)`),
      );
  }
  for (const name of NAME_OPTIONS) {
    const v = values[name];
    if (typeof v !== 'string') continue;
    const problem = nameProblem(v);
    if (problem) throw new UsageError(`--${name} ${problem}`);
  }
}
