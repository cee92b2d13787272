/**
 * Tree-structured Parzen estimator (Bergstra et al. 2011), univariate form: after a few random
 * trials, split the finished trials into the best γ and the rest, model each parameter's density in
 * both groups with Parzen windows, and try the candidate that maximises l(x)/g(x). Maximises.
 */
import {
  bounds,
  checkSpace,
  fromInternal,
  toInternal,
  type ParamSpec,
  type Params,
  type Space,
} from './space.ts';
import { mulberry32, normal } from '../../shared/random.ts';

export interface TpeOptions {
  seed: number;
  /** Random trials before the model takes over. */
  startup?: number;
  /** Share of trials counted as good. */
  gamma?: number;
  /** Candidates drawn from l(x) per parameter. */
  candidates?: number;
}

export interface Observation {
  params: Params;
  /** Higher is better; null for a failed trial (counted as worst). */
  objective: number | null;
}

type NumSpec = Exclude<ParamSpec, { kind: 'cat' }>;

export class Tpe {
  private readonly rand: () => number;
  private readonly startup: number;
  private readonly gamma: number;
  private readonly candidates: number;

  constructor(
    readonly space: Space,
    opts: TpeOptions,
  ) {
    checkSpace(space);
    this.rand = mulberry32(opts.seed);
    this.startup = opts.startup ?? 10;
    this.gamma = opts.gamma ?? 0.2;
    this.candidates = opts.candidates ?? 24;
  }

  /** Parameters for the next trial, given every finished one. */
  suggest(history: readonly Observation[]): Params {
    if (history.length < this.startup) return this.random();
    const sorted = [...history].sort((a, b) => (b.objective ?? -Infinity) - (a.objective ?? -Infinity));
    const nGood = Math.max(1, Math.ceil(this.gamma * sorted.length));
    const good = sorted.slice(0, Math.min(nGood, sorted.length - 1));
    const bad = sorted.slice(good.length);
    const out: Params = {};
    for (const [name, p] of Object.entries(this.space)) {
      const g = good.map((o) => o.params[name]);
      const b = bad.map((o) => o.params[name]);
      out[name] =
        p.kind === 'cat'
          ? this.suggestCat(p.choices, g, b)
          : this.suggestNum(p, g as number[], b as number[]);
    }
    return out;
  }

  random(): Params {
    const out: Params = {};
    for (const [name, p] of Object.entries(this.space)) {
      if (p.kind === 'cat') out[name] = p.choices[Math.floor(this.rand() * p.choices.length)];
      else {
        const [lo, hi] = bounds(p);
        out[name] = fromInternal(p, lo + this.rand() * (hi - lo));
      }
    }
    return out;
  }

  private suggestCat(choices: readonly Params[string][], good: unknown[], bad: unknown[]): Params[string] {
    // Counts plus a prior of one per choice, so an untried choice keeps a chance.
    const weights = (xs: unknown[]) => {
      const w = choices.map((c) => 1 + xs.filter((x) => x === c).length);
      const s = w.reduce((a, b) => a + b, 0);
      return w.map((v) => v / s);
    };
    // Drawing from l (rather than taking argmax l/g over many draws) keeps a choice that lost early
    // in play: with several parameters the good set is noisy, and the greedy form locks in.
    const l = weights(good);
    const g = weights(bad);
    let u = this.rand();
    let i = 0;
    while (i < l.length - 1 && u >= l[i]) u -= l[i++];
    // A choice rarer among the good than the bad is redrawn once.
    if (l[i] < g[i]) {
      u = this.rand();
      i = 0;
      while (i < l.length - 1 && u >= l[i]) u -= l[i++];
    }
    return choices[i];
  }

  private suggestNum(p: NumSpec, good: number[], bad: number[]): number {
    const [lo, hi] = bounds(p);
    const l = parzen(
      good.map((v) => toInternal(p, v)),
      lo,
      hi,
    );
    const g = parzen(
      bad.map((v) => toInternal(p, v)),
      lo,
      hi,
    );
    let best = l.sample(this.rand);
    let bestScore = -Infinity;
    for (let k = 0; k < this.candidates; k++) {
      const x = l.sample(this.rand);
      const score = l.logPdf(x) - g.logPdf(x);
      if (score > bestScore) {
        bestScore = score;
        best = x;
      }
    }
    return fromInternal(p, best);
  }
}

/** A mixture of Gaussians at the points plus one wide prior component, truncated to [lo, hi]. */
function parzen(points: number[], lo: number, hi: number) {
  const range = hi - lo;
  const mus = [...points, (lo + hi) / 2];
  const n = points.length;
  // Bandwidth shrinks as evidence accumulates, bounded so that it neither collapses nor covers all.
  const bw = Math.min(range, Math.max(range / 20, range / Math.pow(n + 1, 0.8)));
  const sigmas = [...points.map(() => bw), range];
  const w = 1 / mus.length;
  const pdfAt = (x: number) => {
    let s = 0;
    for (let i = 0; i < mus.length; i++) {
      const z = (x - mus[i]) / sigmas[i];
      s += (w * Math.exp(-0.5 * z * z)) / (sigmas[i] * Math.sqrt(2 * Math.PI));
    }
    return s;
  };
  return {
    sample(rand: () => number): number {
      for (;;) {
        const i = Math.floor(rand() * mus.length);
        const x = mus[i] + sigmas[i] * normal(rand);
        if (x >= lo && x <= hi) return x;
      }
    },
    logPdf(x: number): number {
      return Math.log(pdfAt(x) + 1e-300);
    },
  };
}
