/**
 * A seed ensemble of convlstm networks. Each member starts at the same baseline ranking and moves
 * away from it along its own seeded path (initial weights of the recurrent branch, shuffles), so
 * averaging their expected counts keeps what the members agree on and damps what one seed invented.
 * Member i uses seed + i, so an ensemble of one is exactly the single network.
 */
import type { FitContext, Forecaster, HistoryView, Params } from '../types.ts';
import { configParams, parseConfig, type NeuralConfig } from './config.ts';
import { anchorOf, ConvLstmForecaster, type TypeForecast } from './convlstm.ts';

export class ConvLstmEnsemble implements Forecaster {
  readonly name = 'convlstm';
  readonly params: Params;
  readonly members: ConvLstmForecaster[];

  constructor(readonly config: NeuralConfig) {
    this.params = configParams(config);
    this.members = Array.from(
      { length: config.members },
      // maxSeconds bounds the whole ensemble's training (the demo's budget), so each member gets a share.
      (_, i) =>
        new ConvLstmForecaster({
          ...config,
          seed: config.seed + i,
          members: 1,
          maxSeconds: config.maxSeconds / config.members,
          // The blend with trailing counts applies once, to the members' mean.
          anchor: 0,
        }),
    );
  }

  async fit(h: HistoryView, ctx: FitContext = {}): Promise<void> {
    const n = this.members.length;
    // Members train one after another: each already uses every intra-op thread it is given.
    for (let i = 0; i < n; i++) {
      const progress = ctx.progress;
      await this.members[i].fit(h, {
        ...ctx,
        progress: progress && ((p) => progress({ ...p, phase: `member ${i + 1}/${n} ${p.phase}` })),
      });
    }
  }

  async predict(h: HistoryView, horizon = 1): Promise<Float32Array> {
    const { rates } = await this.predictWithTypes(h, false);
    const out = new Float32Array(horizon * rates.length);
    for (let k = 0; k < horizon; k++) out.set(rates, k * rates.length);
    return out;
  }

  async predictWithTypes(h: HistoryView, withTypes = true): Promise<TypeForecast> {
    const parts: TypeForecast[] = [];
    for (const m of this.members) parts.push(await m.predictWithTypes(h, withTypes));
    const probs = parts.map((p) => p.typeProbs);
    return {
      rates: anchorOf(meanOf(parts.map((p) => p.rates)), h, this.config),
      typeProbs: probs.every((p): p is Float32Array => p !== null) ? meanOf(probs) : null,
    };
  }

  async dispose(): Promise<void> {
    for (const m of this.members) await m.dispose();
  }
}

/** Element-wise mean of equally long arrays. */
export function meanOf(parts: readonly Float32Array[]): Float32Array {
  if (parts.length === 1) return parts[0];
  const out = new Float32Array(parts[0].length);
  for (const p of parts) {
    if (p.length !== out.length) throw new Error(`ensemble: member outputs differ in length`);
    for (let i = 0; i < out.length; i++) out[i] += p[i];
  }
  for (let i = 0; i < out.length; i++) out[i] /= parts.length;
  return out;
}

/** The registered factory: one network, or a seed ensemble when `members` > 1. */
export function createNeuralForecaster(params: Record<string, string>): Forecaster {
  const config = parseConfig(params);
  return config.members > 1 ? new ConvLstmEnsemble(config) : new ConvLstmForecaster(config);
}
