import { UsageError } from '../util/errors.ts';

export type ParamValue = number | string | boolean;

export type ParamSpec =
  | { kind: 'float'; low: number; high: number; log?: boolean }
  | { kind: 'int'; low: number; high: number; log?: boolean }
  | { kind: 'cat'; choices: readonly ParamValue[] };

export type Space = Record<string, ParamSpec>;
export type Params = Record<string, ParamValue>;

export function checkSpace(space: Space): void {
  for (const [name, p] of Object.entries(space)) {
    if (p.kind === 'cat') {
      if (p.choices.length === 0) throw new UsageError(`search space: '${name}' has no choices`);
      continue;
    }
    if (!(p.low < p.high))
      throw new UsageError(`search space: '${name}' needs low < high, got ${p.low}..${p.high}`);
    if (p.log && p.low <= 0)
      throw new UsageError(`search space: '${name}' is log-scaled, so low must be > 0`);
  }
}

/** Numeric params live in an internal [low, high] space, logged when the spec says so. */
export function toInternal(p: Exclude<ParamSpec, { kind: 'cat' }>, v: number): number {
  return p.log ? Math.log(v) : v;
}

export function bounds(p: Exclude<ParamSpec, { kind: 'cat' }>): [number, number] {
  // Integers get half a step either side so that the end values are as likely as the others.
  const lo = p.kind === 'int' ? p.low - 0.5 : p.low;
  const hi = p.kind === 'int' ? p.high + 0.5 : p.high;
  return p.log ? [Math.log(Math.max(lo, p.low * 0.999)), Math.log(hi)] : [lo, hi];
}

export function fromInternal(p: Exclude<ParamSpec, { kind: 'cat' }>, x: number): number {
  const v = p.log ? Math.exp(x) : x;
  if (p.kind === 'int') return Math.min(p.high, Math.max(p.low, Math.round(v)));
  return Math.min(p.high, Math.max(p.low, v));
}

/**
 * Parses a search space from the command line: `name=low..high` (float), `name=int:low..high`,
 * `name=log:low..high`, `name=intlog:low..high`, or `name=a|b|c` (categorical), separated by ';'.
 */
export function parseSpace(text: string): Space {
  const space: Space = {};
  for (const part of text
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new UsageError(`search space: '${part}' is not name=range or name=a|b`);
    const name = part.slice(0, eq).trim();
    let body = part.slice(eq + 1).trim();
    let prefix = '';
    const m = /^(int|log|intlog):/.exec(body);
    if (m) {
      prefix = m[1];
      body = body.slice(m[0].length);
    }
    const range = /^(-?[\d.e+-]+)\.\.(-?[\d.e+-]+)$/.exec(body);
    if (range) {
      const low = Number(range[1]);
      const high = Number(range[2]);
      space[name] = {
        kind: prefix.startsWith('int') ? 'int' : 'float',
        low,
        high,
        log: prefix === 'log' || prefix === 'intlog',
      };
    } else {
      if (prefix)
        throw new UsageError(`search space: '${part}' has a ${prefix}: prefix but no low..high range`);
      space[name] = { kind: 'cat', choices: body.split('|').map(parseValue) };
    }
  }
  checkSpace(space);
  return space;
}

function parseValue(s: string): ParamValue {
  if (s === 'true') return true;
  if (s === 'false') return false;
  const n = Number(s);
  return s !== '' && Number.isFinite(n) ? n : s;
}
