import { describe, expect, it } from 'vitest';
import { parseSpace, type Params, type Space } from './space.ts';
import { runStudy } from './study.ts';
import { Tpe } from './tpe.ts';

const SPACE: Space = {
  x: { kind: 'float', low: -5, high: 5 },
  lr: { kind: 'float', low: 1e-5, high: 1, log: true },
  hidden: { kind: 'int', low: 1, high: 64 },
  loss: { kind: 'cat', choices: ['bce', 'poisson', 'multinomial', 'mse'] },
};

/** Known optimum 0 at x = 1.3, lr = 1e-3, hidden = 20, loss = poisson. */
function synthetic(p: Params): number {
  const x = p.x as number;
  const lr = Math.log10(p.lr as number) + 3;
  const h = ((p.hidden as number) - 20) / 10;
  const c = p.loss === 'poisson' ? 0 : p.loss === 'multinomial' ? 0.5 : 1.5;
  return -((x - 1.3) ** 2) - lr * lr - h * h - c;
}

async function bestOf(seed: number, trials: number, random: boolean): Promise<number> {
  const r = await runStudy({
    space: SPACE,
    seed,
    trials,
    startup: random ? trials : 10,
    objective: synthetic,
  });
  return r.best!.objective!;
}

describe('TPE', () => {
  it('finds the optimum of a known function much better than random search at equal budget', async () => {
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
    const tpe: number[] = [];
    const rnd: number[] = [];
    for (const s of seeds) {
      tpe.push(await bestOf(s, 60, false));
      rnd.push(await bestOf(s, 60, true));
    }
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    // Regret is -objective: TPE should cut random search's mean regret to under 40 %.
    expect(-mean(tpe)).toBeLessThan(0.4 * -mean(rnd));
    expect(-mean(tpe)).toBeLessThan(0.6);
  });

  it('is reproducible for a seed and respects bounds and types', async () => {
    const a = await runStudy({ space: SPACE, seed: 42, trials: 25, objective: synthetic });
    const b = await runStudy({ space: SPACE, seed: 42, trials: 25, objective: synthetic });
    expect(a.trials.map((t) => t.params)).toEqual(b.trials.map((t) => t.params));
    for (const t of a.trials) {
      expect(t.params.x as number).toBeGreaterThanOrEqual(-5);
      expect(t.params.x as number).toBeLessThanOrEqual(5);
      expect(t.params.lr as number).toBeGreaterThanOrEqual(1e-5);
      expect(Number.isInteger(t.params.hidden)).toBe(true);
      expect(['bce', 'poisson', 'multinomial', 'mse']).toContain(t.params.loss);
    }
  });

  it('stops on the time budget, records failed trials and keeps going', async () => {
    let clock = 0;
    const r = await runStudy({
      space: SPACE,
      seed: 1,
      trials: 100,
      timeBudgetSeconds: 10,
      now: () => clock,
      objective: (_p, trial) => {
        clock += 3;
        if (trial === 1) throw new Error('diverged');
        return trial;
      },
    });
    expect(r.stoppedBy).toBe('time');
    expect(r.trials).toHaveLength(4);
    expect(r.trials[1]).toMatchObject({ status: 'failed', objective: null, error: 'diverged' });
    expect(r.best?.trial).toBe(3);
  });

  it("keeps an objective's other figures with its trial, and the search uses the objective alone", async () => {
    const a = await runStudy({
      space: SPACE,
      seed: 3,
      trials: 12,
      objective: (p) => ({ objective: synthetic(p), metrics: { regret: -synthetic(p) } }),
    });
    const b = await runStudy({ space: SPACE, seed: 3, trials: 12, objective: synthetic });
    expect(a.trials.map((t) => t.params)).toEqual(b.trials.map((t) => t.params));
    for (const t of a.trials) expect(t.metrics).toEqual({ regret: -t.objective! });
    expect(b.trials.every((t) => t.metrics === undefined)).toBe(true);
  });

  it('parses a search space from the command line', () => {
    expect(
      parseSpace('lr=log:1e-4..1e-2; hidden=int:4..32; loss=bce|poisson; w=0.5..2; cal=true|false'),
    ).toEqual({
      lr: { kind: 'float', low: 1e-4, high: 1e-2, log: true },
      hidden: { kind: 'int', low: 4, high: 32, log: false },
      loss: { kind: 'cat', choices: ['bce', 'poisson'] },
      w: { kind: 'float', low: 0.5, high: 2, log: false },
      cal: { kind: 'cat', choices: [true, false] },
    });
    expect(() => parseSpace('lr=log:0..1')).toThrow(/log-scaled/);
    expect(() => parseSpace('lr')).toThrow(/not name=range/);
  });

  it('suggests random points until the startup trials are done', () => {
    const t = new Tpe(SPACE, { seed: 3, startup: 5 });
    const p = t.suggest([]);
    expect(Object.keys(p).sort()).toEqual(['hidden', 'loss', 'lr', 'x']);
  });
});
