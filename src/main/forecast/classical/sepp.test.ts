import { describe, expect, it } from 'vitest';
import { mulberry32, poissonKnuth } from '../../../shared/random.ts';
import { feedOf, viewOf } from '../testing.ts';
import { fitSepp, sepp, seppIntensity, seppMeanDelayDays } from './sepp.ts';

const poisson = poissonKnuth;

/** Simulates the discrete-time grid Hawkes process the model assumes, from known μ, θ, ω. */
function simulate(mu: number[], theta: number, omega: number, steps: number, seed: number): Float32Array {
  const cells = mu.length;
  const rand = mulberry32(seed);
  const q = Math.exp(-omega);
  const out = new Float32Array(steps * cells);
  const S = new Float64Array(cells);
  for (let t = 0; t < steps; t++) {
    for (let n = 0; n < cells; n++) {
      const c = poisson(rand, mu[n] + theta * (1 - q) * S[n]);
      out[t * cells + n] = c;
    }
    for (let n = 0; n < cells; n++) S[n] = out[t * cells + n] + q * S[n];
  }
  return out;
}

/**
 * Reference: the same EM written the plain way, every step of every cell in turn (O(steps · cells) an
 * iteration, dense counts; the implementation before the sparse pass). fitSepp must take the same steps.
 */
function denseEm(
  counts: Float32Array,
  steps: number,
  cells: number,
  iters: number,
  skip?: Uint8Array,
  decay = 0,
): { mu: Float64Array; theta: number; omega: number; logLik: number } {
  const w = (t: number) => (decay > 0 ? Math.exp(-(steps - 1 - t) / decay) : 1);
  const c = (t: number, n: number) => (skip?.[t] ? 0 : counts[t * cells + n]);
  let W = 0;
  let observed = 0;
  for (let t = 0; t < steps; t++) {
    if (skip?.[t]) continue;
    W += w(t);
    observed++;
  }
  const mu = new Float64Array(cells);
  for (let n = 0; n < cells; n++) {
    let e = 0;
    for (let t = 0; t < steps; t++) e += c(t, n);
    mu[n] = (0.5 * e) / observed;
  }
  let theta = 0.2;
  let omega = 0.1;
  let logLik = 0;
  for (let it = 0; it < iters; it++) {
    const q = Math.exp(-omega);
    const g1 = 1 - q;
    let trig = 0;
    let lagSum = 0;
    let exposure = 0;
    let ll = 0;
    const newMu = new Float64Array(cells);
    for (let n = 0; n < cells; n++) {
      let bg = 0;
      for (let t = 0; t < steps; t++) {
        // Excitation and lag-weighted excitation as direct sums over the past.
        let S = 0;
        let K = 0;
        for (let s = 0; s < t; s++) {
          S += c(s, n) * q ** (t - 1 - s);
          K += c(s, n) * (t - s) * q ** (t - 1 - s);
        }
        if (!skip?.[t]) exposure += w(t) * g1 * S;
        const exc = theta * g1 * S;
        const lam = mu[n] + exc;
        const y = c(t, n);
        if (!skip?.[t]) ll -= w(t) * lam;
        if (y > 0) {
          ll += w(t) * y * Math.log(lam);
          bg += (w(t) * y * mu[n]) / lam;
          trig += (w(t) * y * exc) / lam;
          lagSum += (w(t) * y * theta * g1 * K) / lam;
        }
      }
      newMu[n] = bg / W;
    }
    mu.set(newMu);
    theta = trig / exposure;
    omega = -Math.log(1 - 1 / (lagSum / trig));
    logLik = ll;
  }
  return { mu, theta, omega, logLik };
}

describe('grid SEPP', () => {
  it('recovers μ, θ and ω within 10 % from simulated data', () => {
    const rand = mulberry32(5);
    const mu = Array.from({ length: 8 }, () => 0.3 + 0.5 * rand());
    const theta = 0.4;
    const omega = 0.5;
    const steps = 4000;
    const counts = simulate(mu, theta, omega, steps, 42);
    const fit = fitSepp(counts, steps, mu.length, { maxIter: 500, tol: 1e-10 });
    expect(Math.abs(fit.theta - theta) / theta).toBeLessThan(0.1);
    expect(Math.abs(fit.omega - omega) / omega).toBeLessThan(0.1);
    for (let n = 0; n < mu.length; n++) expect(Math.abs(fit.mu[n] - mu[n]) / mu[n]).toBeLessThan(0.1);
  });

  it("takes the plain dense EM's steps, with holidays skipped and an age weight (O(events) per iteration)", () => {
    // 12 cells, 4 of them without events (zero μ), some steps skipped, a decay; after a fixed number of
    // iterations μ, θ, ω and the log-likelihood match the direct O(steps² · cells) computation.
    const mu = [0.2, 0.05, 0, 0.6, 0, 0.01, 0.3, 0, 0.1, 0, 0.4, 0.02];
    const steps = 300;
    const counts = simulate(mu, 0.3, 0.4, steps, 13);
    const skip = new Uint8Array(steps);
    for (let t = 20; t < steps; t += 37) skip[t] = 1;
    for (const [sk, decay] of [
      [undefined, 0],
      [skip, 0],
      [skip, 50],
    ] as const) {
      for (const iters of [1, 6]) {
        const ref = denseEm(counts, steps, mu.length, iters, sk, decay);
        const fit = fitSepp(counts, steps, mu.length, { maxIter: iters, tol: 0, skip: sk, decay });
        expect(fit.theta).toBeCloseTo(ref.theta, 10);
        expect(fit.omega).toBeCloseTo(ref.omega, 10);
        expect(fit.logLik / ref.logLik).toBeCloseTo(1, 10);
        for (let n = 0; n < mu.length; n++) expect(fit.mu[n]).toBeCloseTo(ref.mu[n], 10);
      }
    }
  });

  it('EM never lowers the likelihood (more iterations, higher log-likelihood)', () => {
    const counts = simulate([0.2, 0.5, 0.1], 0.3, 1, 2000, 9);
    const lls = [2, 5, 20, 80].map((it) => fitSepp(counts, 2000, 3, { maxIter: it, tol: 0 }).logLik);
    for (let i = 1; i < lls.length; i++) expect(lls[i]).toBeGreaterThanOrEqual(lls[i - 1] - 1e-6);
  });

  it('forecasts μ plus the decayed excitation of past events', async () => {
    const fit = {
      mu: Float64Array.from([0.1, 0.2]),
      theta: 0.5,
      omega: Math.log(2),
      iterations: 0,
      logLik: 0,
    };
    // q = 1/2, g(k) = (1/2)^k: one event 1 step ago in cell 0 and one 2 steps ago in cell 1.
    const counts = Float32Array.from([0, 1, 1, 0]);
    const r = seppIntensity(fit, counts, 2, 2);
    expect(r[0]).toBeCloseTo(0.1 + 0.5 * 0.5, 12);
    expect(r[1]).toBeCloseTo(0.2 + 0.5 * 0.25, 12);
    const model = sepp({ iters: '50' });
    const view = viewOf(
      [
        [1, 0],
        [0, 0],
        [2, 1],
        [0, 0],
        [1, 0],
      ],
      1,
      2,
    );
    await model.fit(view);
    const p = await model.predict(view);
    expect(p[0]).toBeGreaterThan(p[1]);
  });

  it('leaves skipped steps out of the fit: a holiday burst does not bend the kernel', () => {
    // The process of the first test, plus a burst of 40 extra events in every cell on one step a
    // year (a fireworks night, which the model did not generate). Skipping those steps recovers the
    // true parameters; fitting through them does not.
    const rand = mulberry32(5);
    const mu = Array.from({ length: 8 }, () => 0.3 + 0.5 * rand());
    const theta = 0.4;
    const omega = 0.5;
    const steps = 4000;
    const counts = simulate(mu, theta, omega, steps, 42);
    const skip = new Uint8Array(steps);
    for (let t = 100; t < steps; t += 365) {
      skip[t] = 1;
      for (let n = 0; n < mu.length; n++) counts[t * mu.length + n] += 40;
    }
    const left = fitSepp(counts, steps, mu.length, { maxIter: 500, tol: 1e-10, skip });
    expect(Math.abs(left.theta - theta) / theta).toBeLessThan(0.1);
    expect(Math.abs(left.omega - omega) / omega).toBeLessThan(0.1);
    for (let n = 0; n < mu.length; n++) expect(Math.abs(left.mu[n] - mu[n]) / mu[n]).toBeLessThan(0.1);
    const through = fitSepp(counts, steps, mu.length, { maxIter: 500, tol: 1e-10 });
    expect(Math.abs(through.theta - theta) / theta).toBeGreaterThan(0.1);
  });

  it('with a decay, EM reaches a stationary point of the age-weighted likelihood (finite differences)', () => {
    // Independent check of the weighted EM: the weighted log-likelihood written out directly, as a
    // double sum over past events (O(steps²)), and its derivatives in μ and θ taken by central
    // differences at the fit. At an EM fixed point both vanish.
    const cells = 3;
    const steps = 400;
    const decay = 60;
    const counts = simulate([0.2, 0.5, 0.1], 0.35, 0.7, steps, 21);
    const skip = new Uint8Array(steps);
    for (let t = 50; t < steps; t += 97) skip[t] = 1;
    const fit = fitSepp(counts, steps, cells, { maxIter: 5000, tol: 1e-15, skip, decay });
    const weightedLogLik = (mu: number[], theta: number, omega: number): number => {
      const q = Math.exp(-omega);
      let ll = 0;
      for (let t = 0; t < steps; t++) {
        if (skip[t]) continue;
        const w = Math.exp(-(steps - 1 - t) / decay);
        for (let n = 0; n < cells; n++) {
          let exc = 0;
          for (let s = 0; s < t; s++) if (!skip[s]) exc += counts[s * cells + n] * (1 - q) * q ** (t - s - 1);
          const lam = mu[n] + theta * exc;
          ll += w * (counts[t * cells + n] * Math.log(lam) - lam);
        }
      }
      return ll;
    };
    const mu = Array.from(fit.mu);
    const h = 1e-6;
    for (let n = 0; n < cells; n++) {
      const up = mu.slice();
      const down = mu.slice();
      up[n] += h;
      down[n] -= h;
      const d =
        (weightedLogLik(up, fit.theta, fit.omega) - weightedLogLik(down, fit.theta, fit.omega)) / (2 * h);
      expect(Math.abs(d)).toBeLessThan(1e-4);
    }
    const dTheta =
      (weightedLogLik(mu, fit.theta + h, fit.omega) - weightedLogLik(mu, fit.theta - h, fit.omega)) / (2 * h);
    expect(Math.abs(dTheta)).toBeLessThan(1e-4);
    // And the derivative in μ away from the fit is not zero (the check can fail).
    const off = mu.map((m) => m * 1.2);
    const dOff = (weightedLogLik(off, fit.theta, fit.omega) - weightedLogLik(mu, fit.theta, fit.omega)) / 1;
    expect(dOff).toBeLessThan(-1e-3);
  });

  it('with a decay, the background follows where events are now (a moved hotspot)', () => {
    // Known truth: cell 0 runs at 0.6 a step for 1500 steps, then falls to 0.05 while cell 1 rises
    // from 0.05 to 0.6 for the last 500 steps. No triggering. The current background is (0.05, 0.6).
    const rand = mulberry32(8);
    const steps = 2000;
    const counts = new Float32Array(steps * 2);
    for (let t = 0; t < steps; t++) {
      const late = t >= 1500;
      counts[t * 2] = poisson(rand, late ? 0.05 : 0.6);
      counts[t * 2 + 1] = poisson(rand, late ? 0.6 : 0.05);
    }
    const flat = fitSepp(counts, steps, 2, { maxIter: 500 });
    const decayed = fitSepp(counts, steps, 2, { maxIter: 500, decay: 100 });
    // The next step's intensity (background plus excitation) is the truth's, within 10 %, and the
    // cold cell stays cold.
    const next = seppIntensity(decayed, counts, steps, 2);
    expect(Math.abs(next[1] - 0.6) / 0.6).toBeLessThan(0.1);
    expect(next[0]).toBeLessThan(0.1);
    // Most of the hot cell's rate is background, which the flat fit cannot say: averaged over all
    // history its background is the same in both cells, and the move is carried by a slow kernel.
    expect(decayed.mu[1]).toBeGreaterThan(0.3);
    expect(decayed.mu[1]).toBeGreaterThan(10 * decayed.mu[0]);
    expect(Math.abs(flat.mu[1] - flat.mu[0])).toBeLessThan(0.2 * flat.mu[0]);
    // An effectively infinite decay is the unweighted fit.
    const inf = fitSepp(counts, steps, 2, { maxIter: 500, decay: 1e15 });
    expect(inf.theta).toBeCloseTo(flat.theta, 9);
    expect(inf.mu[1]).toBeCloseTo(flat.mu[1], 9);
  });

  it('refreshes its fit as steps arrive: a hotspot that moves after the last refit is followed', async () => {
    // Known truth: cell 0 runs at 0.6 a step and cell 1 at 0.05 for 1500 steps, then they swap. The
    // model is fitted at step 1500 (before the move) and walked forward a step at a time to 1800, as
    // walk-forward does between monthly refits. With the refresh (an EM iteration a step) its forecast
    // for step 1800 is within 5 % of a full fit at 1800 and near the truth; without it, it is the stale fit's.
    const rand = mulberry32(8);
    const rows: number[][] = [];
    for (let t = 0; t < 1800; t++) {
      const late = t >= 1500;
      rows.push([poisson(rand, late ? 0.05 : 0.6), poisson(rand, late ? 0.6 : 0.05)]);
    }
    const feed = feedOf(rows, 1, 2);
    const walk = async (spec: Record<string, string>) => {
      const model = sepp({ holidays: '0', decay: '100', ...spec });
      await model.fit(feed.view(1500));
      let p: Float32Array = new Float32Array(2);
      for (let t = 1500; t <= 1800; t++) p = await model.predict(feed.view(t));
      return p;
    };
    const refreshed = await walk({});
    const stale = await walk({ stepIters: '0' });
    const full = sepp({ holidays: '0', decay: '100' });
    await full.fit(feed.view(1800));
    const now = await full.predict(feed.view(1800));
    for (let n = 0; n < 2; n++) expect(Math.abs(refreshed[n] - now[n]) / now[n]).toBeLessThan(0.05);
    expect(Math.abs(refreshed[1] - 0.6) / 0.6).toBeLessThan(0.15);
    expect(Math.abs(refreshed[0] - 0.05) / 0.05).toBeLessThan(0.5);
    // The stale fit still forecasts the old map (0.63 and 0.08 here).
    expect(stale[0]).toBeGreaterThan(0.3);
    expect(stale[1]).toBeLessThan(0.2);
    // The same on a sliding window of 1,000 steps, whose offset moves with every step.
    const slide = sepp({ holidays: '0', decay: '100' });
    await slide.fit(feed.view(1500, 1000));
    let s: Float32Array = new Float32Array(2);
    for (let t = 1500; t <= 1800; t++) s = await slide.predict(feed.view(t, 1000));
    const fullSlide = sepp({ holidays: '0', decay: '100' });
    await fullSlide.fit(feed.view(1800, 1000));
    const nowSlide = await fullSlide.predict(feed.view(1800, 1000));
    for (let n = 0; n < 2; n++) expect(Math.abs(s[n] - nowSlide[n]) / nowSlide[n]).toBeLessThan(0.05);
    expect(s[1]).toBeGreaterThan(0.5);
  });

  it('reports its mean delay and flags one under two days', async () => {
    // Geometric kernel on whole steps: mean 1 / (1 − e^{−ω}) steps.
    const fit = { mu: new Float64Array(1), theta: 0.2, omega: Math.log(2), iterations: 0, logLik: 0 };
    expect(seppMeanDelayDays(fit, 1)).toBeCloseTo(2, 12);
    expect(seppMeanDelayDays(fit, 1 / 3)).toBeCloseTo(2 / 3, 12);
    // A process with a 1-day kernel (ω = 3: q = 0.05, mean delay 1.05 days) is flagged.
    const counts = simulate([0.3, 0.5, 0.4], 0.5, 3, 3000, 4);
    const rows: number[][] = [];
    for (let t = 0; t < 3000; t++) rows.push(Array.from(counts.subarray(t * 3, t * 3 + 3)));
    const model = sepp({ holidays: '0' });
    await model.fit(viewOf(rows, 1, 3));
    const rep = model.report!();
    expect(rep.fitted!.meanDelayDays).toBeLessThan(1.3);
    expect(rep.notes![0]).toMatch(/mean delay 1\.\d\d days \(under 2\)/);
  });
});
