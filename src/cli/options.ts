import { UsageError } from '../main/util/errors.ts';

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

/** Parses an ISO date YYYY-MM-DD; the error names the option. */
export function optionalDate(values: Values, name: string): string | undefined {
  const v = optionalString(values, name);
  if (v === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v + 'T00:00:00Z'))) {
    throw new UsageError(`--${name} must be a date YYYY-MM-DD, got '${v}'`);
  }
  return v;
}
