/**
 * Which model a use case runs, as a typed value: the doors build it (the CLI from its text options, the
 * IPC handlers from the request's fields), and no use case parses a model string.
 */
import type { ModelSpec } from '../forecast/types.ts';
import { parseModelSpec } from '../forecast/registry.ts';
import { UsageError } from '../util/errors.ts';

export type ModelChoice =
  /** The dataset's newest registered model for the step; a classical model when it has none. */
  | { kind: 'latest'; fallback?: ClassicalModel }
  /** One registered (trained) model, by its registry id. */
  | { kind: 'registered'; id: number }
  /** A classical forecaster, fitted on the history before the step. */
  | { kind: 'classical'; model: ClassicalModel };

export interface ClassicalModel {
  name: string;
  params: Record<string, string>;
}

export const DEFAULT_CLASSICAL: ClassicalModel = { name: 'kde', params: { tau: '90', sigma: '0.5' } };

/** `kde:tau=90,sigma=0.5` from a name and params, in the order given (the form stored runs use). */
export function specOf(m: ClassicalModel): string {
  const kv = Object.entries(m.params).map(([k, v]) => `${k}=${v}`);
  return kv.length ? `${m.name}:${kv.join(',')}` : m.name;
}

export function classicalOf(spec: ModelSpec): ClassicalModel {
  return { name: spec.name, params: { ...spec.params } };
}

/**
 * For the CLI's `--model` text only: `latest`, a registry id (`12`), or a classical spec. A network
 * name (`convlstm`) means the newest registered one: forecasting never trains.
 */
export function modelChoiceFromText(text: string | undefined, fallback?: ClassicalModel): ModelChoice {
  const t = (text ?? 'latest').trim();
  if (t === 'latest') return { kind: 'latest', fallback };
  // Asked for a network by name: the newest registered one, and an error (not a KDE) when there is none.
  if (t === 'convlstm') return { kind: 'latest' };
  if (/^\d+$/.test(t)) {
    const id = Number(t);
    if (!Number.isSafeInteger(id) || id < 1) throw new UsageError(`--model: no model id ${t}`);
    return { kind: 'registered', id };
  }
  if (t.startsWith('convlstm:'))
    throw new UsageError(
      `--model ${t}: a forecast never trains a network; train it with 'shotcast train' and pass its id`,
    );
  return { kind: 'classical', model: classicalOf(parseModelSpec(t)) };
}
