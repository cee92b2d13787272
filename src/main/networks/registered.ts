/**
 * A registered network at work: its exported .onnx run through onnxruntime on a history view, with no
 * training code involved. The one computation behind a registered model's forecast (app/forecast.ts)
 * and its walk-forward score (RegisteredForecaster): the same inputs, the same blend with the trailing
 * year's counts, the same level after the data cut-off.
 */
import { InferenceSession, Tensor } from 'onnxruntime-node';
import type { ReadonlyDb } from '../db/connection.ts';
import type { ModelRecord } from '../db/queries/models.ts';
import { stepStartAt, parseLocal } from '../grid/time.ts';
import type { Forecaster, HistoryView } from '../forecast/types.ts';
import { anchorOf, sourceOf, trailingLevel } from '../forecast/neural/convlstm.ts';
import { makeBatch } from '../forecast/neural/features.ts';
import { atConfigLevel } from '../forecast/neural/level.ts';
import { riskToRate, SEQ_INPUT, STAT_INPUT } from '../forecast/neural/net.ts';
import { REFERENCE_INPUT } from '../engine/presets/reference.ts';
import { DataError } from '../util/errors.ts';
import { readModelFile } from './model-files.ts';
import { modelSetup, requireModel } from './train-job.ts';

/** One forward pass: the expected events per cell, the raw logits (the type head's too) and its channels. */
export interface NetworkStep {
  risk: Float32Array;
  logits: Float32Array;
  typeChannels: number;
}

/** A registered model's ONNX session; `release` when done. */
export class RegisteredNetwork {
  private constructor(
    readonly record: ModelRecord,
    readonly setup: ReturnType<typeof modelSetup>,
    private readonly session: InferenceSession,
  ) {}

  /** Opens the model's file, after checking it is there and unchanged since registration. */
  static async open(record: ModelRecord): Promise<RegisteredNetwork> {
    const setup = modelSetup(record);
    // A missing or changed file is reported, never used.
    const bytes = readModelFile(record);
    const session = await InferenceSession.create(bytes, { intraOpNumThreads: 2, interOpNumThreads: 1 });
    return new RegisteredNetwork(record, setup, session);
  }

  /** The forecast for the step right after the view, from the view only. */
  async step(view: HistoryView): Promise<NetworkStep> {
    const { config } = this.setup;
    const src = sourceOf(view, config, view.steps);
    const b = makeBatch(src, [view.steps]);
    const { rows, cols } = view.grid;
    const cells = rows * cols;
    const seq = new Tensor('float32', b.seq, [1, src.tensor.types, config.features.lags, rows, cols]);
    const feeds: Record<string, Tensor> =
      config.preset === 'reference'
        ? { [REFERENCE_INPUT]: seq }
        : {
            [SEQ_INPUT]: seq,
            [STAT_INPUT]: new Tensor('float32', b.stat, [1, b.stat.length / cells, rows, cols]),
          };
    const out = await this.session.run(feeds);
    const logits = out.logits.data as Float32Array;
    const rates = new Float32Array(cells);
    for (let i = 0; i < cells; i++) rates[i] = riskToRate(logits[i], config.loss);
    // The same blend with the count map (anchor.ts) that `evaluate` scores.
    let risk = anchorOf(rates, view, config);
    // …and the same level (level.ts: with `level=step`, the calendar's expected total for the step).
    risk = atConfigLevel(risk, config, src, view.steps);
    // Calibration matched the level of the year before the model's data cut-off; after it the level
    // follows the trailing year, as it does when `evaluate` scores the network (ConvLstmForecaster).
    // (With the calendar offset the network's own input already follows the level.)
    if (config.calibrate > 0 && !config.features.offset) {
      const k = levelSinceFit(view, this.stepsBeforeCutoff(view));
      if (k !== 1) risk = risk.map((v) => v * k);
    }
    return { risk, logits, typeChannels: src.tensor.types };
  }

  /** UTC start of the step holding the model's data cut-off: it saw no data from there on. */
  cutoffMs(tz: string): number {
    return stepStartAt(tz, this.setup.step, parseLocal(tz, this.record.dataCutoff));
  }

  /** The view's steps that start before the cut-off's step. */
  private stepsBeforeCutoff(view: HistoryView): number {
    const ms = this.cutoffMs(view.tz);
    let i = 0;
    while (i < view.steps && view.stepStartMs(i) < ms) i++;
    return i;
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

/**
 * How the trailing year's mean count per step (over the grid, excluded steps left out) has moved since
 * the fit: its value over the whole view over its value over the first `fitSteps` steps; 1 when the
 * view ends at (or before) the fit, or either level is 0.
 */
export function levelSinceFit(view: HistoryView, fitSteps: number): number {
  if (fitSteps <= 0 || fitSteps >= view.steps) return 1;
  // The same view, cut at the fit: its first fitSteps steps (the events accessor serves them as is).
  const atFit: HistoryView = { ...view, steps: fitSteps, excluded: view.excluded.subarray(0, fitSteps) };
  const then = trailingLevel(atFit);
  const now = trailingLevel(view);
  return then > 0 && now > 0 ? now / then : 1;
}

/** The words of a grid and step, for a refusal. */
function gridWords(g: { rows?: number; cols?: number }, unit: string): string {
  return `a ${g.rows ?? '?'} × ${g.cols ?? '?'} grid with ${unit} steps`;
}

/**
 * A registered model scored by walk-forward: it is never refitted (a fit only checks the history is
 * the model's own grid and step and starts after its data cut-off); each test step runs its ONNX on
 * the history before that step, exactly as a forecast from it would.
 */
export class RegisteredForecaster implements Forecaster {
  readonly name: string;
  readonly params: Record<string, string | number>;
  readonly classical = false;
  private network: RegisteredNetwork | null = null;

  constructor(private readonly record: ModelRecord) {
    this.name = `model:${record.id}`;
    this.params = { id: record.id, name: record.name, preset: record.preset, dataCutoff: record.dataCutoff };
  }

  async fit(history: HistoryView): Promise<void> {
    const net = (this.network ??= await RegisteredNetwork.open(this.record));
    const { grid, step } = net.setup;
    const g = history.grid;
    const same =
      g.rows === grid.rows &&
      g.cols === grid.cols &&
      history.step.unit === step.unit &&
      (grid.bbox === undefined || grid.bbox.every((v, i) => Math.abs(v - g.bbox[i]) < 1e-9));
    if (!same)
      throw new DataError(
        `model ${this.record.id} was trained on ${gridWords(grid, step.unit)}; validate it on that grid and step, not ${gridWords(g, history.step.unit)}`,
      );
    const forecastMs = history.stepStartMs(history.steps);
    if (forecastMs < net.cutoffMs(history.tz)) throw cutoffError(this.record, history.tz, forecastMs);
  }

  async predict(history: HistoryView): Promise<Float32Array> {
    if (!this.network) await this.fit(history);
    return (await this.network!.step(history)).risk;
  }

  async dispose(): Promise<void> {
    await this.network?.release();
    this.network = null;
  }
}

function cutoffError(record: ModelRecord, tz: string, fromMs: number): DataError {
  const from = new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(fromMs);
  return refuseBeforeCutoff(record, from);
}

/** The one-line refusal of a test period that starts before the model's data cut-off. */
export function refuseBeforeCutoff(
  record: Pick<ModelRecord, 'id' | 'dataCutoff'>,
  testFrom: string,
): DataError {
  return new DataError(
    `model ${record.id} was trained on data up to ${record.dataCutoff}: a test period from ${testFrom} would score it on days it learnt from; start it on ${record.dataCutoff} or later`,
  );
}

/** The `model:ID` spec's forecaster, for the walk-forward (the composition root registers it). */
export function registeredForecaster(db: ReadonlyDb, params: Record<string, string>): Forecaster {
  const id = Number(params.id);
  if (!Number.isInteger(id) || id < 1) throw new DataError(`model:${params.id ?? ''} names no model id`);
  return new RegisteredForecaster(requireModel(db, id));
}
