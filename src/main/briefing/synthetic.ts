/**
 * A self-contained synthetic briefing (DC grid, a hand-made risk surface, fixed numbers) for tests and
 * for the UI's preview before a database is chosen. Not used to brief anyone.
 */
import { cellCentre } from '../grid/spec.ts';
import type { GridSpec } from '../grid/types.ts';
import { deployUnits, deploymentSummary } from './deploy.ts';
import type { BriefingMap, BriefingReport } from './types.ts';

export const DC_GRID: GridSpec = {
  bbox: [38.81, -77.05, 38.97, -76.9],
  rows: 36,
  cols: 36,
  cellMeters: [493.9, 361.2],
};

export function syntheticBriefing(units = 5): { report: BriefingReport; map: BriefingMap } {
  const grid = DC_GRID;
  const n = grid.rows * grid.cols;
  const risk = new Float32Array(n);
  const studyMask = new Uint8Array(n);
  const spots = [
    [24, 28, 0.9, 6],
    [12, 24, 0.7, 4],
    [28, 18, 0.5, 5],
    [9, 14, 0.3, 3],
  ];
  for (let c = 0; c < n; c++) {
    const r = Math.floor(c / grid.cols);
    const col = c % grid.cols;
    studyMask[c] = r > 2 && col > 4 ? 1 : 0;
    let v = 0.002;
    for (const [sr, sc, a, s] of spots) v += a * Math.exp(-((r - sr) ** 2 + (col - sc) ** 2) / s);
    risk[c] = studyMask[c] ? v / 10 : 0;
  }
  const d = deployUnits({ rows: grid.rows, cols: grid.cols, risk, studyMask }, { units, nodeBudget: 20_000 });
  const areas = d.areas.map((a) => {
    const cs = a.cells.map((c) => cellCentre(grid, c));
    return {
      rank: a.rank,
      cells: a.cells,
      centre: {
        lat: cs.reduce((s, p) => s + p.lat, 0) / cs.length,
        lon: cs.reduce((s, p) => s + p.lon, 0) / cs.length,
      },
      neighbourhood: `Synthetic neighbourhood ${a.rank}`,
      psa: String(600 + a.rank),
      district: '6D',
      risk: a.risk,
      share: a.share,
      last7: a.rank,
      last28: 4 * a.rank,
    };
  });
  const report: BriefingReport = {
    title: 'Gunfire forecast briefing',
    agency: 'Synthetic Police Department',
    marking: 'LAW ENFORCEMENT SENSITIVE',
    dataset: { name: 'synthetic', city: 'Washington DC', tz: 'America/New_York', hash: 'f'.repeat(64) },
    window: {
      start: '2018-09-29T00:00:00-04:00',
      end: '2018-09-30T00:00:00-04:00',
      step: 'day',
      label: 'Sat 29 Sep 2018 00:00 – Sun 30 Sep 2018 00:00 EDT (America/New_York)',
    },
    generatedAt: '2018-09-28T21:00:00.000Z',
    generatedLabel: 'Fri 28 Sep 2018 17:00 EDT',
    model: {
      spec: 'kde:tau=90,sigma=0.5',
      label: 'kde:tau=90,sigma=0.5',
      name: 'kde',
      params: { tau: 90, sigma: 0.5 },
      hash: 'a'.repeat(64),
      cutoff: '2018-09-29T00:00:00-04:00',
    },
    grid: { rows: grid.rows, cols: grid.cols, bbox: grid.bbox, cellMeters: grid.cellMeters },
    deployment: deploymentSummary(d),
    areas,
    recent: {
      from7: '2018-09-22T00:00:00-04:00',
      from28: '2018-09-01T00:00:00-04:00',
      byType7: { single: 7, multiple: 12, gunshot_or_firecracker: 3, unknown: 0 },
      total7: 22,
      hourly28: [9, 8, 6, 4, 3, 2, 1, 1, 0, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 7, 8, 9, 10, 11],
      total28: 108,
    },
    skill: {
      basis: { kind: 'stored-run', runId: 1 },
      testFrom: '2018-01-01',
      testTo: '2018-09-28',
      coveragePct: 5,
      model: { name: 'kde', hitRate: 0.38, pai: 7.6 },
      baseline: { name: 'counts-365d', hitRate: 0.36, pai: 7.2 },
      sentence:
        'In 2018 testing (2018-01-01 to 2018-09-28), the 5 % of the area this model flagged held 38 % of next-day gunfire (PAI 7.6); last year’s hot spots (counts-365d), the best classical baseline, held 36 % (PAI 7.2).',
    },
    volume: {
      expected: 24.3,
      typical: 17.2,
      typicalSteps: 51,
      like: 'Saturday',
      holiday: null,
      text: 'expected 24 (typical Saturday 17)',
      suggestedUnits: 7,
      suggestionRule:
        '5 routine units × expected ÷ typical Saturday detections (24 ÷ 17), rounded, between 1 and 20',
    },
    provenance: {
      datasetHash: 'f'.repeat(64),
      modelHash: 'a'.repeat(64),
      params: 'tau=90, sigma=0.5',
      software: 'shotcast 0.1.0',
    },
    caveat: [
      'This forecast is about places and times, not people: it is not a prediction about any person and gives no grounds to stop, search or suspect anyone.',
      'Detections are acoustic sensor alerts, not confirmed shootings.',
    ],
  };
  return { report, map: { grid, risk, studyMask } };
}
