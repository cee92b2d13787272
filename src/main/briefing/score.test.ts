import { describe, expect, it } from 'vitest';
import { scorePatrolAreas } from './score.ts';

describe('scorePatrolAreas', () => {
  it('pools hit rate and PAI over steps, beside the top cells at the same area (hand-computed)', () => {
    const s = scorePatrolAreas(
      [
        // Area = cells 1,2 (risk 10): 1 hit of 3 events. Top 2 cells: 1, 2 (tie broken by order): 1 hit.
        { risk: [1, 5, 5, 1], actual: [0, 1, 0, 2] },
        // Area = cells 2,3 (risk 4 beats cell 0 alone): 0 hits. Top 2 cells: 0, then 2 (tie with 3): 1 hit.
        { risk: [3, 0, 2, 2], actual: [1, 0, 0, 0] },
      ],
      { rows: 1, cols: 4, studyMask: [1, 1, 1, 1], units: 1, maxCells: 2 },
    );
    expect(s.steps).toBe(2);
    expect(s.events).toBe(4);
    expect(s.hits).toBe(1);
    expect(s.hitRate).toBeCloseTo(0.25, 12);
    expect(s.areaShare).toBeCloseTo(0.5, 12);
    expect(s.pai).toBeCloseTo(0.5, 12);
    expect(s.topCells.hits).toBe(2);
    expect(s.topCells.pai).toBeCloseTo(1, 12);
    expect(s.optimalSteps).toBe(2);
  });

  it('ignores events and risk outside the study area', () => {
    const s = scorePatrolAreas([{ risk: [9, 1, 0, 0], actual: [5, 1, 1, 0] }], {
      rows: 2,
      cols: 2,
      studyMask: [0, 1, 1, 1],
      units: 1,
      maxCells: 1,
    });
    expect(s.events).toBe(2);
    expect(s.hits).toBe(1);
    expect(s.studyCells).toBe(3);
    expect(s.pai).toBeCloseTo(0.5 / (1 / 3), 12);
  });
});

describe('patrol-areas step scorer', () => {
  it('is registered with walk-forward evaluation (by the composition root) and scores like scorePatrolAreas', async () => {
    await import('../app/wiring.ts');
    const { getStepScorer } = await import('../evaluate/scorers.ts');
    const rows = 6;
    const cols = 6;
    const studyMask = new Uint8Array(rows * cols).fill(1);
    const steps = [0, 1, 2].map((k) => ({
      risk: Float32Array.from({ length: rows * cols }, (_, c) => ((c * 7 + k * 5) % 11) / 10),
      actual: Float32Array.from({ length: rows * cols }, (_, c) => ((c + k) % 5 === 0 ? 1 : 0)),
    }));
    const scorer = getStepScorer('patrol-areas')({
      grid: { bbox: [0, 0, 1, 1], rows, cols, cellMeters: [1, 1] },
      studyMask,
      model: 'test',
    });
    steps.forEach((s, index) => scorer.observe({ index, ...s }));
    expect(scorer.result()).toEqual(
      scorePatrolAreas(steps, { rows, cols, studyMask, units: 5, maxCells: 4 }),
    );
  });
});
