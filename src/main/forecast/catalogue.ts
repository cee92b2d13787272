/**
 * The model catalogue: every registered forecaster with its one-line summary, its parameters and their
 * defaults (read from the model itself, so they cannot drift from what it runs), and the classical
 * leaderboard, in order. The Validate and Forecast panels (through `models.catalogue`) and the CLI's
 * help and default model lists are built from here; no other list of models exists.
 */
import { createForecaster, listForecasters, parseModelList } from './registry.ts';

export interface CatalogueParam {
  key: string;
  /** The default, as text (the form a model spec and the app's params use). */
  default: string;
}

export interface CatalogueEntry {
  name: string;
  summary: string;
  kind: 'classical' | 'neural';
  params: CatalogueParam[];
  /** The spec the leaderboard runs it as (e.g. `counts-365d`, `kde:tau=90,sigma=0.5`); null when not on it. */
  leaderboard: string | null;
}

/** The classical baselines of the default leaderboard, in order (names and params as stored runs record them). */
export const LEADERBOARD =
  'counts-all,counts-365d,kde:tau=90,sigma=0.5,prospective,sepp,calendar,persistence';

export async function modelCatalogue(): Promise<CatalogueEntry[]> {
  const board = parseModelList(LEADERBOARD);
  const out: CatalogueEntry[] = [];
  for (const { name, summary } of listForecasters()) {
    const model = createForecaster({ spec: name, name, params: {} });
    try {
      const onBoard = board.find((s) => s.name === name || s.name === model.name);
      out.push({
        name,
        summary,
        kind: model.classical === true ? 'classical' : 'neural',
        params: Object.entries(model.params).map(([key, v]) => ({ key, default: String(v) })),
        leaderboard: onBoard?.spec ?? null,
      });
    } finally {
      await model.dispose?.();
    }
  }
  return out;
}

/** The catalogue as usage text: one line a model, its parameters with their defaults. */
export function catalogueUsage(entries: CatalogueEntry[]): string {
  return entries
    .map((e) => {
      const params = e.params.map((p) => `${p.key}=${p.default}`).join(',');
      return `  ${e.name.padEnd(12)} ${e.summary}${params ? `\n  ${''.padEnd(12)} params (defaults): ${params}` : ''}`;
    })
    .join('\n');
}
