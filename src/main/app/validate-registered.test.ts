import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aprilDb, DC_GRID } from '../../../test/dc-april.ts';
import { openDb } from '../db/connection.ts';
import { evaluate } from './evaluate.ts';
import { forecast } from './forecast.ts';
import { train } from './train.ts';

const TINY = {
  name: 'convlstm',
  params: { hidden: '4', head: '4', lags: '3', batch: '4', epochs: '1', taus: '30/90', windows: '7/28' },
};

/** A fresh April database with a tiny network trained on it (to 2014-03-15, validated to 04-01). */
async function trainedTiny(prefix: string, params: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const dbPath = await aprilDb(dir);
  const db = openDb(dbPath);
  const ws = { db, dbPath };
  const step = { unit: 'day' as const };
  const t = await train(ws, {
    dataset: 'dc',
    grid: DC_GRID,
    step,
    model: { ...TINY, params: { ...TINY.params, ...params } },
    trainTo: '2014-03-15',
    valTo: '2014-04-01',
  });
  const close = () => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { dir, db, ws, step, t, close };
}

/** The forecasts folder's index and each model's [steps, rows, cols] maps, as `evaluate --forecasts` wrote them. */
function forecastMaps(dir: string) {
  const index = JSON.parse(readFileSync(join(dir, 'forecasts', 'index.json'), 'utf8')) as {
    steps: string[];
    models: { name: string; file: string }[];
  };
  const cells = DC_GRID.rows * DC_GRID.cols;
  const maps = (name: string) => {
    const npy = readFileSync(join(dir, 'forecasts', index.models.find((x) => x.name === name)!.file));
    const body = npy.subarray(npy.length - index.steps.length * cells * 4);
    return new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.length));
  };
  return { index, cells, maps };
}

describe('validating a registered model', () => {
  it('scores model:ID by running its ONNX at each test step, as a forecast would, and refuses a test period before its cut-off', async () => {
    const { dir, db, ws, step, t, close } = await trainedTiny('shotcast-validate-model-');
    try {
      const spec = `model:${t.modelId}`;
      const r = await evaluate(ws, {
        dataset: 'dc',
        grid: DC_GRID,
        step,
        models: `counts-365d,${spec}`,
        testFrom: '2014-04-01',
        testTo: '2014-04-10',
        forecastsDir: join(dir, 'forecasts'),
      });
      const m = r.result.models.find((x) => x.spec === spec)!;
      expect(m).toMatchObject({
        name: spec,
        classical: false,
        params: { id: t.modelId, dataCutoff: '2014-04-01' },
      });
      expect(m.hitRate['5']).toBeGreaterThanOrEqual(0);
      expect(r.runId).toBeGreaterThan(0);
      // Each test step's map is the registered model's forecast for that day, from the same code.
      // The forecasts as written to the folder: index.json and one [steps, rows, cols] .npy per model.
      const { index, cells, maps } = forecastMaps(dir);
      const risks = maps(spec);
      expect(index.steps).toHaveLength(10);
      for (const i of [0, 4, 9]) {
        const at = index.steps[i].slice(0, 10);
        const one = await forecast(db, {
          dataset: 'dc',
          at,
          model: { kind: 'registered', id: t.modelId },
          grid: DC_GRID,
          step,
        });
        const got = risks.subarray(i * cells, (i + 1) * cells);
        for (let c = 0; c < cells; c++) expect(got[c]).toBeCloseTo(one.risk[c], 6);
      }
      // A test period that starts before the model's data cut-off is refused in one line, before any work.
      const early = evaluate(ws, {
        dataset: 'dc',
        grid: DC_GRID,
        step,
        models: [{ spec, name: 'model', params: { id: String(t.modelId) } }],
        testFrom: '2014-03-20',
        testTo: '2014-04-10',
      });
      await expect(early).rejects.toThrow(
        `model ${t.modelId} was trained on data up to 2014-04-01: a test period from 2014-03-20 would score it on days it learnt from; start it on 2014-04-01 or later`,
      );
      // On another grid it is refused too: it was trained on its own.
      await expect(
        evaluate(ws, {
          dataset: 'dc',
          grid: { rows: 8, cols: 8 },
          step,
          models: spec,
          testFrom: '2014-04-01',
          testTo: '2014-04-10',
        }),
      ).rejects.toThrow(
        /^model \d+ was trained on a 6 × 6 grid with day steps; validate it on that grid and step, not a 8 × 8 grid/,
      );
    } finally {
      close();
    }
  }, 120_000);

  it('holds a level=step model at the calendar level, in its exported network as in evaluate', async () => {
    const { dir, db, ws, step, t, close } = await trainedTiny('shotcast-validate-level-', { level: 'step' });
    try {
      const spec = `model:${t.modelId}`;
      await evaluate(ws, {
        dataset: 'dc',
        grid: DC_GRID,
        step,
        models: `calendar,${spec}`,
        testFrom: '2014-04-01',
        testTo: '2014-04-03',
        forecastsDir: join(dir, 'forecasts'),
      });
      const { index, cells, maps } = forecastMaps(dir);
      const net = maps(spec);
      const cal = maps('calendar');
      const sum = (a: Float32Array, i: number) =>
        a.subarray(i * cells, (i + 1) * cells).reduce((x, y) => x + y, 0);
      // On the first test step both fits saw the same history: the network's total is the calendar's.
      expect(sum(net, 0)).toBeGreaterThan(0);
      expect(Math.abs(sum(net, 0) - sum(cal, 0))).toBeLessThan(1e-4 * sum(cal, 0));
      // A forecast from the registered model is the same map.
      const one = await forecast(db, {
        dataset: 'dc',
        at: index.steps[0].slice(0, 10),
        model: { kind: 'registered', id: t.modelId },
        grid: DC_GRID,
        step,
      });
      for (let c = 0; c < cells; c++) expect(net[c]).toBeCloseTo(one.risk[c], 6);
    } finally {
      close();
    }
  }, 120_000);
});
