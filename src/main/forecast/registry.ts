import type { ReadonlyDb } from '../db/connection.ts';
import { UsageError } from '../util/errors.ts';
import type { Forecaster, ForecasterFactory, ModelSpec } from './types.ts';

interface Entry {
  factory: ForecasterFactory;
  summary: string;
}

const REGISTRY = new Map<string, Entry>();
/** Name patterns such as counts-<N>d, resolved to a registered name plus params. */
const PATTERNS: {
  re: RegExp;
  resolve: (m: RegExpExecArray) => { name: string; params: Record<string, string> };
}[] = [];

/** Adds a model. Open to every module (the neural forecaster registers `convlstm` the same way). */
export function registerForecaster(name: string, factory: ForecasterFactory, summary = ''): void {
  if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(name)) throw new Error(`bad forecaster name '${name}'`);
  if (REGISTRY.has(name)) throw new Error(`forecaster '${name}' is registered twice`);
  REGISTRY.set(name, { factory, summary });
}

/** Lets a family of names map onto one registered model (e.g. `counts-365d` → `counts-Nd` with n=365). */
export function registerForecasterPattern(
  re: RegExp,
  resolve: (m: RegExpExecArray) => { name: string; params: Record<string, string> },
): void {
  PATTERNS.push({ re, resolve });
}

export function listForecasters(): { name: string; summary: string }[] {
  return [...REGISTRY].map(([name, e]) => ({ name, summary: e.summary }));
}

export function hasForecaster(name: string): boolean {
  return REGISTRY.has(name) || PATTERNS.some((p) => p.re.test(name));
}

/** A model that is read from the database rather than built from parameters (a registered network). */
export type StoredForecasterFactory = (db: ReadonlyDb, params: Record<string, string>) => Forecaster;
const STORED = new Map<string, StoredForecasterFactory>();

/** Adds a model read from the database, named as `name:ID` (the composition root registers `model`). */
export function registerStoredForecaster(name: string, factory: StoredForecasterFactory): void {
  if (STORED.has(name) || REGISTRY.has(name)) throw new Error(`forecaster '${name}' is registered twice`);
  STORED.set(name, factory);
}

/** Makes a forecaster from a spec, reading a stored model (`model:3`) from the database. */
export function createForecasterOn(db: ReadonlyDb, spec: ModelSpec): Forecaster {
  const stored = STORED.get(spec.name);
  return stored ? stored(db, spec.params) : createForecaster(spec);
}

/** Makes a forecaster from a spec string (`kde:tau=90,sigma=0.5`) or a parsed spec. */
export function createForecaster(spec: string | ModelSpec): Forecaster {
  const s = typeof spec === 'string' ? parseModelSpec(spec) : spec;
  let name = s.name;
  let params = s.params;
  if (!REGISTRY.has(name)) {
    for (const p of PATTERNS) {
      const m = p.re.exec(name);
      if (m) {
        const r = p.resolve(m);
        name = r.name;
        params = { ...r.params, ...params };
        break;
      }
    }
  }
  const entry = REGISTRY.get(name);
  if (!entry) {
    throw new UsageError(
      `unknown model '${s.name}'; known: ${[...REGISTRY.keys()].join(', ')} (and counts-<N>d)`,
    );
  }
  return entry.factory(params);
}

/** Parses one `name[:k=v,k=v]`. */
export function parseModelSpec(text: string): ModelSpec {
  const t = text.trim();
  const colon = t.indexOf(':');
  const name = colon < 0 ? t : t.slice(0, colon);
  if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(name)) throw new UsageError(`bad model name '${name}' in '${text}'`);
  const params: Record<string, string> = {};
  // A stored model by id: `model:3`.
  if (colon >= 0 && /^\d+$/.test(t.slice(colon + 1).trim()))
    return { spec: t, name, params: { id: t.slice(colon + 1).trim() } };
  if (colon >= 0) {
    for (const kv of t.slice(colon + 1).split(',')) {
      if (kv.trim() === '') continue;
      addParam(params, kv, text);
    }
  }
  return { spec: t, name, params };
}

function addParam(params: Record<string, string>, kv: string, text: string): void {
  const eq = kv.indexOf('=');
  if (eq <= 0) throw new UsageError(`model parameter '${kv}' in '${text}' must be key=value`);
  const k = kv.slice(0, eq).trim();
  if (k in params) throw new UsageError(`model parameter '${k}' given twice in '${text}'`);
  params[k] = kv.slice(eq + 1).trim();
}

/**
 * Parses a comma-separated model list. Params are themselves comma-separated, so a token without ':'
 * that looks like `k=v` continues the previous model's params:
 * `counts-all,kde:tau=90,sigma=0.5,sepp` → counts-all, kde{tau,sigma}, sepp.
 */
export function parseModelList(text: string): ModelSpec[] {
  const out: ModelSpec[] = [];
  for (const raw of text.split(',')) {
    const tok = raw.trim();
    if (tok === '') continue;
    if (!tok.includes(':') && tok.includes('=')) {
      const prev = out[out.length - 1];
      if (!prev) throw new UsageError(`model parameter '${tok}' comes before any model in '${text}'`);
      addParam(prev.params, tok, text);
      prev.spec += ',' + tok;
      continue;
    }
    out.push(parseModelSpec(tok));
  }
  if (out.length === 0) throw new UsageError('--models lists no model');
  return out;
}

/** Params helpers for factories: every error names the model and the parameter. */
export function paramReader(model: string, params: Record<string, string>) {
  const used = new Set<string>();
  return {
    number(key: string, def: number, opts: { min?: number; max?: number; integer?: boolean } = {}): number {
      used.add(key);
      const v = params[key];
      if (v === undefined) return def;
      const n = Number(v);
      if (v === '' || !Number.isFinite(n) || (opts.integer && !Number.isInteger(n))) {
        throw new UsageError(
          `${model}: ${key} must be ${opts.integer ? 'an integer' : 'a number'}, got '${v}'`,
        );
      }
      if (opts.min !== undefined && n < opts.min)
        throw new UsageError(`${model}: ${key} must be ≥ ${opts.min}`);
      if (opts.max !== undefined && n > opts.max)
        throw new UsageError(`${model}: ${key} must be ≤ ${opts.max}`);
      return n;
    },
    /** Call last: rejects parameters the model does not know. */
    done(): void {
      for (const k of Object.keys(params)) {
        if (!used.has(k)) {
          throw new UsageError(
            `${model}: unknown parameter '${k}' (known: ${[...used].join(', ') || 'none'})`,
          );
        }
      }
    },
  };
}
