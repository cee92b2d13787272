import { describe, expect, it, vi } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aprilDb as aprilDbIn } from '../../../test/dc-april.ts';
import { openDb } from '../db/connection.ts';
import { listModels } from '../db/queries/models.ts';
import { listRuns } from '../db/queries/runs.ts';
import { ConvLstmForecaster } from '../forecast/neural/convlstm.ts';
import { forecastCommand } from '../../cli/commands/forecast.ts';
import type { CommandContext } from '../../cli/command.ts';
import { brief, prepareBriefing } from './brief.ts';
import { forecast } from './forecast.ts';
import { setDatasetHolidays } from './manage.ts';
import { train } from './train.ts';
import { validationScoresWords } from '../../shared/training-words.ts';

const GRID = { bbox: [38.81, -77.05, 38.97, -76.9] as [number, number, number, number], rows: 6, cols: 6 };
const TINY = {
  name: 'convlstm',
  params: { hidden: '4', head: '4', lags: '3', batch: '4', epochs: '1', taus: '30/90', windows: '7/28' },
};

/** DC's January–April 2014 alerts in a fresh folder (test/dc-april.ts). */
const aprilDb = () => aprilDbIn(mkdtempSync(join(tmpdir(), 'shotcast-app-')));

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('the use-case layer', () => {
  it('trains in a worker (this thread keeps answering), and every door forecasts from the registered model without training', async () => {
    const dbPath = await aprilDb();
    const db = openDb(dbPath);
    try {
      // The dataset's own holiday, set before training: the worker's history has it, the model records it.
      await setDatasetHolidays(db, 'dc', '2014-03-17');
      // The event loop's longest stall while the network trains: a handler would wait this long.
      let last = performance.now();
      let worst = 0;
      const tick = setInterval(() => {
        const now = performance.now();
        worst = Math.max(worst, now - last);
        last = now;
      }, 10);
      const ticks: number[] = [];
      // Trained in another thread: this thread's copy of the network class never fits.
      const fitHere = vi.spyOn(ConvLstmForecaster.prototype, 'fit');
      const r = await train(
        { db, dbPath },
        {
          dataset: 'dc',
          grid: GRID,
          step: { unit: 'day' },
          model: TINY,
          trainTo: '2014-03-15',
          valTo: '2014-04-01',
        },
        { progress: (p) => ticks.push(p.done) },
      ).finally(() => {
        clearInterval(tick);
        fitHere.mockRestore();
      });
      expect(fitHere).not.toHaveBeenCalled();
      expect(ticks.length).toBeGreaterThan(0);
      expect(worst).toBeLessThan(250);
      const registered = listModels(db, 1);
      expect(registered.map((m) => m.id)).toEqual([r.modelId]);
      expect(registered[0].params).toMatchObject({ grid: { rows: 6, cols: 6 }, step: { unit: 'day' } });
      expect(registered[0].metrics).toMatchObject({
        trainTo: '2014-03-15',
        valTo: '2014-04-01',
        extraHolidays: '2014-03-17',
      });
      const fileBefore = sha(r.onnx.path);

      const fit = vi.spyOn(ConvLstmForecaster.prototype, 'fit');
      try {
        // The map's request: a 36 × 36 day grid, 'latest'; the registered model brings its own grid.
        const f = await forecast(db, {
          dataset: 'dc',
          at: '2014-04-10',
          model: { kind: 'latest', fallback: { name: 'kde', params: {} } },
          grid: { rows: 36, cols: 36 },
          step: { unit: 'day' },
        });
        expect(f.model).toMatchObject({
          source: 'neural',
          id: r.modelId,
          label: `model ${r.modelId} (convlstm, default)`,
        });
        expect(f.note).toBeNull();
        expect([f.grid.rows, f.grid.cols]).toEqual([6, 6]);
        // Its volume: the expected counts summed over the study cells; 10 April 2014 is a Thursday.
        const expected = Array.from(f.risk).reduce((sum, v, i) => sum + (f.studyMask[i] ? v : 0), 0);
        expect(f.volume.expected).toBeCloseTo(expected, 4);
        expect(f.volume).toMatchObject({ like: 'Thursday', holiday: null });
        // Types: the head's only where it beat the trailing-year mix on validation at registration, else
        // that mix in every cell, counted directly here over the events before the step on the grid.
        const m = registered[0].metrics;
        expect(Number(m.valMixTypeLogLoss)).toBeGreaterThan(0);
        const learned = Number(m.valTypeLogLoss) < Number(m.valMixTypeLogLoss);
        expect(m.typesLearned).toBe(learned ? 1 : 0);
        expect(f.typeBasis?.source).toBe(learned ? 'network' : 'trailing-year mix');
        if (!learned) {
          const [s, w, n, e] = GRID.bbox;
          const byType = db
            .prepare(
              `SELECT type, COUNT(*) AS n FROM events WHERE duplicate_of IS NULL AND utc_ms < ? AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ? GROUP BY type`,
            )
            .all(f.cutoffMs, s, n, w, e) as { type: string; n: number }[];
          const count = (t: string) => byType.find((r) => r.type === t)?.n ?? 0;
          const typed = count('single') + count('multiple') + count('gunshot_or_firecracker');
          const cells = 36;
          ['single', 'multiple', 'gunshot_or_firecracker'].forEach((t, k) => {
            for (let c = 0; c < cells; c++) expect(f.types![k * cells + c]).toBeCloseTo(count(t) / typed, 5);
          });
          expect(f.typeBasis?.note).toContain("the trailing year's");
          // The default trains no type head (typeWeight=0), and the note says that, not "did not beat".
          if (m.typeHead === 0) expect(f.typeBasis?.note).toContain('no trained type head');
        }
        const cli = (await forecastCommand.run({
          values: { db: dbPath, dataset: 'dc', model: String(r.modelId), at: '2014-04-10', top: '36' },
          positionals: [],
          json: true,
          log: () => {},
          progress: () => {},
        } as CommandContext)) as { risk: number[]; top: { cell: number }[] };
        expect(cli.risk).toHaveLength(36);
        cli.risk.forEach((v, i) => expect(Math.abs(v - f.risk[i])).toBeLessThan(1e-6));

        const b = await prepareBriefing({ db, dbPath }, { dataset: 'dc', at: '2014-04-10' });
        expect(b.report.model).toMatchObject({
          spec: `model:${r.modelId}`,
          label: `model ${r.modelId} (convlstm, default)`,
        });
        Array.from(b.map.risk).forEach((v, i) => expect(Math.abs(v - f.risk[i])).toBeLessThan(1e-6));
        // A network's record: its validation scores from registration, beside counts-365d on the same days.
        expect(b.report.skill?.basis.kind).toBe('validation');
        expect(b.report.skill?.model.hitRate).toBe(registered[0].metrics.valHitRate5);
        expect(b.report.skill?.sentence).toContain('15 Mar 2014 to 31 Mar 2014');
        expect(b.report.skill?.sentence).toContain(validationScoresWords(registered[0].metrics));
        expect(fit).not.toHaveBeenCalled();
      } finally {
        fit.mockRestore();
      }
      expect(listModels(db, 1)).toEqual(registered);
      expect(sha(r.onnx.path)).toBe(fileBefore);
    } finally {
      db.close();
    }
  }, 120_000);

  it('a briefing on a plain import states a track record: it runs a 90-day backtest against counts-365d and stores it', async () => {
    const dbPath = await aprilDb();
    const db = openDb(dbPath);
    try {
      expect(listRuns(db)).toEqual([]);
      const { pdf, report } = await brief({ db, dbPath }, { dataset: 'dc', at: '2014-05-01', grid: GRID });
      expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
      // No registered model: the default is the KDE, named as such.
      expect(report.model.label).toBe('kde:tau=90,sigma=0.5');
      const s = report.skill;
      expect(s?.basis.kind).toBe('backtest');
      expect([s?.testFrom, s?.testTo]).toEqual(['2014-01-31', '2014-04-30']);
      expect(s?.baseline?.name).toBe('counts-365d');
      expect(s?.sentence).toContain('31 Jan 2014 to 30 Apr 2014');
      const runs = listRuns(db, 'dc');
      expect(runs.map((x) => x.id)).toEqual([s?.basis.runId]);
      expect(runs[0].models).toEqual(['kde', 'counts-365d']);
      // The PAI is the hit rate over the flagged share of the study area (5 %).
      expect(s!.model.pai).toBeGreaterThan(0);
      // A second briefing reads the stored run and backtests nothing more.
      const again = await prepareBriefing({ db, dbPath }, { dataset: 'dc', at: '2014-05-01', grid: GRID });
      expect(again.report.skill?.basis).toEqual({ kind: 'stored-run', runId: s?.basis.runId });
      expect(listRuns(db, 'dc')).toHaveLength(1);
    } finally {
      db.close();
    }
  }, 120_000);
});
