import type { ProgressFn } from '../../shared/types.ts';
import type { ReadonlyDb } from '../db/connection.ts';
import { datasetFingerprint, type EventColumns } from '../db/queries/events.ts';
import { requireDataset } from '../grid/build.ts';
import { maskCount } from '../grid/study.ts';
import { cellOf } from '../grid/spec.ts';
import {
  isFireworksDate,
  isoLocal,
  localParts,
  nextStepStart,
  parseLocal,
  stepDays,
  stepIndexOf,
} from '../grid/time.ts';
import type { GeoJsonLike, GridOptions, GridSpec, StepSpec } from '../grid/types.ts';
import { loadHistory } from '../history/load.ts';
import { StepEvents } from '../history/events.ts';
import { createForecasterOn, parseModelList } from '../forecast/registry.ts';
import type { Forecaster, ModelSpec, Params } from '../forecast/types.ts';
import { DataError, UsageError } from '../util/errors.ts';
import { pairedBootstrap, type Interval } from './bootstrap.ts';
import {
  ACCURACY_THRESHOLD,
  COVERAGES,
  CellStepScores,
  oracleStep,
  poolScores,
  scoreStep,
  studyCellsOf,
  type StepScore,
} from './metrics.ts';
import { getStepScorer, type StepScorer } from './scorers.ts';
import {
  LAMBDA_FLOOR,
  PROB_SCORES,
  TYPE_P_FLOOR,
  poolProb,
  probStep,
  scaleToLevel,
  trailingMeanTotal,
  type ProbScoreName,
  type ProbStep,
  type ProbSummary,
  type ReliabilityBin,
} from './probabilistic.ts';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NpyFloat32Writer } from './npy.ts';

export type Cadence = 'step' | 'week' | 'month';
export type WindowKind = 'expanding' | 'sliding';

export interface EvaluationOptions {
  dataset: string;
  grid: GridOptions;
  step: StepSpec;
  /** A model list as on the command line (`counts-all,kde:tau=90,sigma=0.5`) or parsed specs. */
  models: string | ModelSpec[];
  /** First and last local dates of the test period (inclusive). */
  testFrom: string;
  testTo: string;
  /** Retraining cadence (default month): when `fit` is called again. `predict` always sees the latest history. */
  cadence?: Cadence;
  window?: WindowKind;
  /** Sliding window length in steps (default: one year of steps). */
  windowSteps?: number;
  /** Split the test period into k contiguous folds, refit at each fold start, and report each fold. */
  folds?: number;
  excludeFireworks?: boolean;
  /**
   * Extra holiday dates (YYYY-MM-DD or yearly MM-DD) for this run, besides the dataset's own and the
   * built-in list.
   */
  holidays?: readonly string[];
  /** Polygon study area; default: cells with an event before the test period. */
  studyArea?: GeoJsonLike;
  /** Keep every model's risk grids in memory ([test steps, cells] per model: small runs and tests). */
  keepForecasts?: boolean;
  /**
   * Stream every model's forecasts to this folder (`.npy` per model, [test steps, rows, cols], and an
   * index.json), one step at a time as they are made: memory stays O(cells) however long the test.
   */
  forecastsDir?: string;
  bootstrap?: { samples?: number; seed?: number };
  /** Registered StepScorer names to run on every model (see scorers.ts). */
  scorers?: string[];
  seed?: number;
}

export interface ModelResult {
  name: string;
  spec: string;
  params: Params;
  classical: boolean;
  hitRate: Record<string, number>;
  pai: Record<string, number>;
  pei: Record<string, number>;
  aucPr: number;
  brier: number;
  accuracy: number;
  seconds: number;
  /** Paired-bootstrap 95 % interval of hit rate minus the best classical model's, at 1 % and 5 %. */
  vsBest?: Record<string, Interval & { best: string }>;
  /** Level and calibration scores (probabilistic.ts): lower is better for each. */
  probabilistic: ProbSummary & { reliability: ReliabilityBin[] };
  /**
   * Paired-bootstrap 95 % interval of each probabilistic score minus the best (lowest) classical
   * model's; negative is better. typeLogLoss only among models that forecast types.
   */
  vsBestScores?: Partial<Record<ProbScoreName, Interval & { best: string }>>;
  /** True when evaluate scaled a level-less ranking to the trailing year's mean count per step. */
  scaledToTrailingYear?: boolean;
  /** What the model's last fit found, and notes in plain words (e.g. a SEPP whose delay is under two days). */
  fitted?: Record<string, number>;
  notes?: string[];
  folds?: { from: string; to: string; steps: number; events: number; hitRate: Record<string, number> }[];
  fits: number;
  scorers?: Record<string, unknown>;
}

export interface EvaluationResult {
  grid: { rows: number; cols: number; bbox: [number, number, number, number]; cellMeters: [number, number] };
  step: string;
  studyCells: number;
  test: {
    from: string;
    to: string;
    steps: number;
    events: number;
    excludedSteps: number;
    eventsOutsideStudy: number;
  };
  models: ModelResult[];
  oracle: { hitRate: Record<string, number>; pai: Record<string, number> };
  /** The metric conventions, stated with the numbers. */
  conventions: {
    accuracyThreshold: number;
    accuracyWeighting: string;
    probability: string;
    hitRateDenominator: string;
    ties: string;
    bootstrap: { samples: number; seed: number; resampled: string };
    deviance: string;
    reliability: string;
    typeLogLoss: string;
    level: string;
  };
  options: {
    cadence: Cadence;
    window: WindowKind;
    windowSteps: number | null;
    folds: number;
    excludeFireworks: boolean;
    studyArea: 'data' | 'polygon';
    /** The extra holiday dates the run used: the dataset's own and the run's, sorted. */
    holidays: string[];
  };
  dataset: { name: string; tz: string; hash: string; cutoff: string };
}

export interface EvaluationOutput {
  result: EvaluationResult;
  /** When keepForecasts: ISO local start of each scored step, the study mask and per-model [steps, cells] risks. */
  forecasts?: { steps: string[]; studyMask: Uint8Array; byModel: { name: string; risk: Float32Array }[] };
}

/** Walk-forward evaluation of every model over the test period. */
export async function runEvaluation(
  db: ReadonlyDb,
  opts: EvaluationOptions,
  progress?: ProgressFn,
  signal?: AbortSignal,
): Promise<EvaluationOutput> {
  const specs = typeof opts.models === 'string' ? parseModelList(opts.models) : opts.models;
  // Construct every model before any work, so a bad parameter fails fast.
  const models = specs.map((s) => createForecasterOn(db, s));
  const names = uniqueNames(specs, models);
  const dataset = requireDataset(db, opts.dataset);
  const tz = dataset.tz;
  const testStartMs = parseLocal(tz, opts.testFrom);
  const testEndMs = nextStepStart(tz, { unit: 'day' }, parseLocal(tz, opts.testTo));
  if (testEndMs <= testStartMs)
    throw new UsageError(`--test-to ${opts.testTo} is before --test-from ${opts.testFrom}`);
  const {
    grid,
    events,
    timeline,
    tensor,
    studyMask,
    holidays,
    feed: feedOf,
  } = loadHistory(db, dataset, {
    grid: opts.grid,
    step: opts.step,
    end: testEndMs,
    knownBeforeMs: testStartMs,
    endLabel: `the test period (${opts.testFrom})`,
    excludeFireworks: opts.excludeFireworks,
    studyArea: opts.studyArea,
    holidays: opts.holidays,
  });
  const first = stepIndexOf(timeline, testStartMs);
  // Every event counts, typed or not: the risk models and the scores use the all-event total.
  const all = new StepEvents(tensor.store, 0, timeline.steps);
  const cells = grid.rows * grid.cols;
  const studyCells = studyCellsOf(studyMask);
  if (studyCells.length === 0) throw new DataError('the study area holds no grid cell');

  const testSteps: number[] = [];
  for (let t = first; t < timeline.steps; t++) if (!tensor.excluded[t]) testSteps.push(t);
  if (testSteps.length === 0) throw new DataError('the test period holds no step to score');
  const folds = Math.max(1, Math.min(opts.folds ?? 1, testSteps.length));
  const foldOf = (i: number) => Math.floor((i * folds) / testSteps.length);
  const cadence = opts.cadence ?? 'month';
  const windowKind = opts.window ?? 'expanding';
  const windowSteps =
    windowKind === 'sliding' ? (opts.windowSteps ?? Math.ceil(365 / stepDays(opts.step))) : undefined;

  // One step's counts, dense for the scorers: O(cells), rebuilt per step from the sparse history.
  const actualBuf = new Float32Array(cells);
  const actualOf = (t: number) => all.total(t, actualBuf);
  const oracle: StepScore[] = testSteps.map((t) => oracleStep(actualOf(t), studyCells));
  let testEvents = 0;
  let outside = 0;
  for (const t of testSteps) {
    all.forEachTotal(t, (c, n) => {
      if (studyMask[c]) testEvents += n;
      else outside += n;
    });
  }

  if (testEvents === 0) {
    throw new DataError(
      whyNoTestEvents(events, grid, studyMask, {
        name: dataset.name,
        from: opts.testFrom,
        to: opts.testTo,
        startMs: timeline.starts[first],
        endMs: testEndMs,
        excludeFireworks: opts.excludeFireworks === true,
        polygon: opts.studyArea !== undefined,
      }),
    );
  }

  const periodKey = (t: number): string => {
    if (cadence === 'step') return String(t);
    const p = localParts(tz, timeline.starts[t]);
    if (cadence === 'month') return `${p.year}-${p.month}`;
    const monday =
      Date.UTC(p.year, p.month - 1, p.day) -
      ((new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay() + 6) % 7) * 86_400_000;
    return `w${monday}`;
  };

  if (opts.forecastsDir) mkdirSync(opts.forecastsDir, { recursive: true });
  const results: ModelResult[] = [];
  const perStep: StepScore[][] = [];
  const perStepProb: ProbStep[][] = [];
  const nTypes = tensor.types.length;
  const typedBuf = new Float32Array(nTypes * cells);
  const yearSteps = Math.ceil(365 / stepDays(opts.step));
  const kept: { name: string; risk: Float32Array }[] = [];
  const totalWork = models.length * testSteps.length;
  const started = Date.now();
  for (let m = 0; m < models.length; m++) {
    const model = models[m];
    const t0 = performance.now();
    const feed = feedOf();
    const scores: StepScore[] = [];
    const probSteps: ProbStep[] = [];
    let withTypes = model.predictWithTypes !== undefined;
    const cellSteps = new CellStepScores(testSteps.length * studyCells.length);
    const scorers: [string, StepScorer][] = (opts.scorers ?? []).map((s) => [
      s,
      getStepScorer(s)({ grid, studyMask, model: names[m] }),
    ]);
    const risks = opts.keepForecasts ? new Float32Array(testSteps.length * cells) : undefined;
    const stream = opts.forecastsDir
      ? new NpyFloat32Writer(join(opts.forecastsDir, forecastFileName(names[m])), [
          testSteps.length,
          grid.rows,
          grid.cols,
        ])
      : undefined;
    let streamed = false;
    let lastKey = '';
    let lastFold = -1;
    let fits = 0;
    let report: ReturnType<NonNullable<Forecaster['report']>> | undefined;
    try {
      for (let i = 0; i < testSteps.length; i++) {
        if (signal?.aborted) throw new DataError('evaluation cancelled');
        const t = testSteps[i];
        const history = feed.view(t, windowSteps);
        const key = periodKey(t);
        if (key !== lastKey || foldOf(i) !== lastFold) {
          await model.fit(history, {
            seed: opts.seed ?? 0,
            signal,
            // A long fit (a neural model's training) reports through the same channel, under its model's name.
            progress:
              progress && ((p) => progress({ ...p, job: 'evaluate', phase: `${names[m]} ${p.phase}` })),
          });
          fits++;
          lastKey = key;
          lastFold = foldOf(i);
        }
        let risk: Float32Array;
        let typeProbs: Float32Array | null = null;
        if (model.predictWithTypes) {
          const f = await model.predictWithTypes(history, true);
          risk = f.rates.subarray(0, cells);
          typeProbs = f.typeProbs;
        } else risk = (await model.predict(history, 1)).subarray(0, cells);
        if (risk.length !== cells)
          throw new Error(`${names[m]} returned ${risk.length} cells, grid has ${cells}`);
        if (model.level === false) {
          risk = Float32Array.from(risk);
          const level = trailingMeanTotal(history.events, history.excluded, studyMask, yearSteps);
          scaleToLevel(risk, studyCells, level);
        }
        // A fresh array per step: a scorer may keep what it observes.
        const actual = all.total(t);
        if (!typeProbs || typeProbs.length !== nTypes * cells) withTypes = false;
        probSteps.push(
          probStep(
            risk,
            actual,
            studyCells,
            withTypes && typeProbs
              ? {
                  probs: typeProbs,
                  counts: all.typed(t, typedBuf),
                  n: nTypes,
                  cells,
                }
              : undefined,
          ),
        );
        scores.push(scoreStep(risk, actual, studyCells));
        cellSteps.addStep(risk, actual, studyCells);
        for (const [, s] of scorers) s.observe({ index: i, risk, actual });
        risks?.set(risk, i * cells);
        stream?.append(risk);
        const done = m * testSteps.length + i + 1;
        if (progress && (i % 8 === 0 || i === testSteps.length - 1)) {
          const el = (Date.now() - started) / 1000;
          progress({
            job: 'evaluate',
            phase: names[m],
            done,
            total: totalWork,
            etaSeconds: done > 0 ? (el / done) * (totalWork - done) : undefined,
          });
        }
      }
      report = model.report?.();
      stream?.close();
      streamed = true;
    } finally {
      if (stream && !streamed) stream.abandon();
      await model.dispose?.();
    }
    const pooled = poolScores(scores, oracle, studyCells.length);
    const summary = cellSteps.summary();
    const probabilistic = { ...poolProb(probSteps, withTypes), reliability: cellSteps.reliability() };
    const foldResults =
      folds > 1
        ? Array.from({ length: folds }, (_, f) => {
            const idx = testSteps.map((_, i) => i).filter((i) => foldOf(i) === f);
            const fs = idx.map((i) => scores[i]);
            const p = poolScores(
              fs,
              idx.map((i) => oracle[i]),
              studyCells.length,
            );
            return {
              from: isoLocal(tz, timeline.starts[testSteps[idx[0]]]),
              to: isoLocal(tz, timeline.starts[testSteps[idx[idx.length - 1]] + 1]),
              steps: idx.length,
              events: fs.reduce((a, s) => a + s.events, 0),
              hitRate: p.hitRate,
            };
          })
        : undefined;
    results.push({
      name: names[m],
      spec: specs[m].spec,
      params: model.params,
      classical: model.classical === true,
      ...pooled,
      ...summary,
      probabilistic,
      ...(model.level === false ? { scaledToTrailingYear: true } : {}),
      ...(report?.fitted ? { fitted: report.fitted } : {}),
      ...(report?.notes?.length ? { notes: report.notes } : {}),
      seconds: (performance.now() - t0) / 1000,
      ...(foldResults ? { folds: foldResults } : {}),
      fits,
      ...(scorers.length ? { scorers: Object.fromEntries(scorers.map(([n, s]) => [n, s.result()])) } : {}),
    });
    perStep.push(scores);
    perStepProb.push(probSteps);
    if (risks) kept.push({ name: names[m], risk: risks });
  }

  const bootSamples = opts.bootstrap?.samples ?? 2000;
  const bootSeed = opts.bootstrap?.seed ?? 20240601;
  addVsBest(results, perStep, { samples: bootSamples, seed: bootSeed });
  addVsBestScores(results, perStepProb, { samples: bootSamples, seed: bootSeed });

  if (opts.forecastsDir)
    writeFileSync(
      join(opts.forecastsDir, 'index.json'),
      JSON.stringify({
        steps: testSteps.map((t) => isoLocal(tz, timeline.starts[t])),
        rows: grid.rows,
        cols: grid.cols,
        bbox: grid.bbox,
        studyMask: Array.from(studyMask),
        models: names.map((name) => ({ name, file: forecastFileName(name) })),
      }) + '\n',
    );

  const oraclePooled = poolScores(oracle, oracle, studyCells.length);
  const result: EvaluationResult = {
    grid: { rows: grid.rows, cols: grid.cols, bbox: grid.bbox, cellMeters: grid.cellMeters },
    step: opts.step.unit,
    studyCells: maskCount(studyMask),
    test: {
      from: opts.testFrom,
      to: opts.testTo,
      steps: testSteps.length,
      events: testEvents,
      excludedSteps: timeline.steps - first - testSteps.length,
      eventsOutsideStudy: outside,
    },
    models: results,
    oracle: { hitRate: oraclePooled.hitRate, pai: oraclePooled.pai },
    conventions: {
      accuracyThreshold: ACCURACY_THRESHOLD,
      accuracyWeighting: 'unweighted: every study cell-step counts once',
      probability: 'p = 1 - exp(-expected events in the cell-step)',
      hitRateDenominator: 'non-duplicate events in study-area cells over the scored test steps',
      ties: 'equal risk ranked by cell order, row-major from the north-west corner',
      bootstrap: { samples: bootSamples, seed: bootSeed, resampled: 'test steps, paired across models' },
      deviance: `Poisson deviance 2·(y·ln(y/λ) − (y − λ)), λ floored at ${LAMBDA_FLOOR}; per study cell-step, and of the study area's total per step`,
      reliability:
        'study cell-steps sorted by p(≥1) = 1 − exp(−λ), ten bins of equal size: mean p and observed share with an event',
      typeLogLoss: `−ln p(type) per typed event in a study cell, p floored at ${TYPE_P_FLOOR}; models that forecast types only`,
      level:
        "a model that ranks without a level is scaled to the trailing year's mean count per step over the study area",
    },
    options: {
      cadence,
      window: windowKind,
      windowSteps: windowSteps ?? null,
      folds,
      excludeFireworks: opts.excludeFireworks === true,
      studyArea: opts.studyArea ? 'polygon' : 'data',
      holidays,
    },
    dataset: {
      name: dataset.name,
      tz,
      hash: createHash('sha256').update(datasetFingerprint(db, dataset.id).join('\n')).digest('hex'),
      cutoff: isoLocal(tz, timeline.starts[first]),
    },
  };
  return {
    result,
    ...(opts.keepForecasts
      ? {
          forecasts: {
            steps: testSteps.map((t) => isoLocal(tz, timeline.starts[t])),
            studyMask,
            byModel: kept,
          },
        }
      : {}),
  };
}

/**
 * Why a test period has no event to score, in one line: none at all in it, all in excluded fireworks
 * windows, all outside the grid's bounding box, or all outside the study area. Hit rates over no
 * events are 0 / 0, so the evaluation refuses rather than store zeros.
 */
export function whyNoTestEvents(
  events: EventColumns,
  grid: GridSpec,
  studyMask: Uint8Array,
  w: {
    name: string;
    from: string;
    to: string;
    startMs: number;
    endMs: number;
    excludeFireworks: boolean;
    polygon: boolean;
  },
): string {
  let inPeriod = 0;
  let fireworks = 0;
  let outsideGrid = 0;
  for (let i = 0; i < events.length; i++) {
    const t = events.utcMs[i];
    if (events.duplicate[i] || t < w.startMs || t >= w.endMs) continue;
    inPeriod++;
    if (w.excludeFireworks && isFireworksDate(events.localMonth[i], events.localDay[i])) fireworks++;
    else if (cellOf(grid, events.lat[i], events.lon[i]) < 0) outsideGrid++;
  }
  const period = `the test period ${w.from}..${w.to}`;
  if (inPeriod === 0) return `dataset '${w.name}' has no events in ${period}: nothing to score`;
  const all = `all ${inPeriod} event${inPeriod === 1 ? '' : 's'} of ${period}`;
  if (fireworks === inPeriod) return `${all} fall in the excluded fireworks windows: nothing to score`;
  if (fireworks + outsideGrid === inPeriod)
    return `${all} lie outside the grid's bounding box [${grid.bbox.join(', ')}]${fireworks ? ' or in excluded fireworks windows' : ''}: nothing to score`;
  const area = w.polygon
    ? 'the --study-area polygon'
    : `the study area (cells with an event before ${w.from})`;
  return `${all} lie outside ${area}: nothing to score (${maskCount(studyMask)} study cells)`;
}

/** Each model's paired-bootstrap difference from the best classical model at 1 % and 5 %. */
function addVsBest(
  results: ModelResult[],
  perStep: StepScore[][],
  boot: { samples: number; seed: number },
): void {
  for (const c of [1, 5] as const) {
    const j = COVERAGES.indexOf(c);
    let best = -1;
    for (let m = 0; m < results.length; m++) {
      if (results[m].classical && (best < 0 || results[m].hitRate[c] > results[best].hitRate[c])) best = m;
    }
    if (best < 0) return;
    const events = perStep[best].map((s) => s.events);
    const bestHits = perStep[best].map((s) => s.hits[j]);
    for (let m = 0; m < results.length; m++) {
      const iv = pairedBootstrap(
        perStep[m].map((s) => s.hits[j]),
        bestHits,
        events,
        boot,
      );
      results[m].vsBest = { ...(results[m].vsBest ?? {}), [c]: { ...iv, best: results[best].name } };
    }
  }
}

/**
 * Each model's paired-bootstrap difference from the best (lowest) classical model on each
 * probabilistic score. A score's per-step numerator and denominator come from PROB_SCORES.
 */
function addVsBestScores(
  results: ModelResult[],
  perStep: ProbStep[][],
  boot: { samples: number; seed: number },
): void {
  for (const name of Object.keys(PROB_SCORES) as ProbScoreName[]) {
    const has = (m: number) => results[m].probabilistic[name] !== null;
    let best = -1;
    for (let m = 0; m < results.length; m++) {
      if (!results[m].classical || !has(m)) continue;
      if (best < 0 || results[m].probabilistic[name]! < results[best].probabilistic[name]!) best = m;
    }
    if (best < 0) continue;
    const part = PROB_SCORES[name];
    const bestNum = perStep[best].map((s) => part(s)[0]);
    const den = perStep[best].map((s) => part(s)[1]);
    for (let m = 0; m < results.length; m++) {
      if (!has(m)) continue;
      const iv = pairedBootstrap(
        perStep[m].map((s) => part(s)[0]),
        bestNum,
        den,
        boot,
      );
      results[m].vsBestScores = {
        ...(results[m].vsBestScores ?? {}),
        [name]: { ...iv, best: results[best].name },
      };
    }
  }
}

/** A model's forecast file: params specs keep their letters, other characters become '_'. */
export function forecastFileName(name: string): string {
  return `${name.replace(/[^A-Za-z0-9._=-]/g, '_')}.npy`;
}

/** Model names for output and file names: the plain name, or the full spec when two share a name. */
function uniqueNames(specs: ModelSpec[], models: Forecaster[]): string[] {
  const base = models.map((m) => m.name);
  const names = base.map((b, i) => (base.filter((x) => x === b).length > 1 ? specs[i].spec : b));
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw new UsageError(`model '${n}' is listed twice`);
    seen.add(n);
  }
  return names;
}
