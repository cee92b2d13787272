/**
 * The trainer: owns the parameters, optimizer slots and model state in ping-pong buffers, one fused
 * train-step session per batch size and one evaluation session per batch size, built lazily and
 * kept. A step is a single session run; the graph is never rebuilt.
 */
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import type { Shape } from '../onnx/dtype.ts';
import type { Optimizer } from '../optimizers/optimizer.ts';
import {
  compileForward,
  compileTrainStep,
  nextName,
  PREDICTION,
  slotName,
  TARGET,
  type GraphSpec,
} from './compile.ts';
import { PingPong } from './state.ts';
import { Rng } from './rng.ts';
import { createSession, f32, type SessionConfig } from './session.ts';
import { CHECKPOINT_VERSION, readCheckpoint, writeCheckpoint, type CheckpointHeader } from './checkpoint.ts';
import { exportInference, type ExportOptions, type ExportResult } from '../export.ts';

export interface TrainerOptions extends GraphSpec {
  optimizer: Optimizer;
  /** Seeds weight initialisation, dropout noise and (in fit) shuffling. Default 0. */
  seed?: number;
  /** Intra-op threads (default 2). */
  threads?: number;
  session?: Omit<SessionConfig, 'threads'>;
}

/** Model inputs by name plus `target`, each a flat float32 array with the batch axis first. */
export type Batch = Readonly<Record<string, Float32Array>>;

interface StepSession {
  session: InferenceSession;
  noise: { name: string; shape: number[]; data: Float32Array; tensor: Tensor }[];
}

export class Trainer {
  readonly buffers = new PingPong();
  readonly rng: Rng;
  /** Optimizer steps taken so far; Adam's bias correction uses stepCount + 1 on the next step. */
  stepCount = 0;
  lr: number;
  private readonly trainSessions = new Map<number, Promise<StepSession>>();
  private readonly evalSessions = new Map<number, Promise<InferenceSession>>();
  private readonly lrData = new Float32Array(1);
  private readonly stepData = new Float32Array(1);
  private readonly scalarTensors = { lr: f32(this.lrData, []), step: f32(this.stepData, []) };
  private readonly perExample: Record<string, number> = {};

  constructor(readonly opts: TrainerOptions) {
    const { model, optimizer } = opts;
    this.rng = new Rng(opts.seed ?? 0);
    this.lr = optimizer.lr;
    for (const p of model.params) {
      const n = p.shape.reduce((a, b) => a * b, 1);
      const v = new Float32Array(n);
      if (p.init.kind === 'uniform') this.rng.fill(v, -p.init.bound, p.init.bound);
      else v.fill(p.init.value);
      this.buffers.add(p.name, p.shape, v);
      for (const s of optimizer.slots) this.buffers.add(slotName(p.name, s), p.shape, new Float32Array(n));
    }
    for (const s of model.states) {
      const n = s.shape.reduce((a, b) => a * b, 1);
      this.buffers.add(s.name, s.shape, new Float32Array(n).fill(s.init));
    }
    for (const [name, shape] of [...Object.entries(opts.inputShapes), [TARGET, opts.targetShape] as const])
      this.perExample[name] = shape.slice(1).reduce((a, b) => a * b, 1);
  }

  private shapes(batch: number): GraphSpec {
    const withBatch = (s: Shape): number[] => [batch, ...s.slice(1)];
    const inputShapes: Record<string, number[]> = {};
    for (const [k, s] of Object.entries(this.opts.inputShapes)) inputShapes[k] = withBatch(s);
    return { ...this.opts, inputShapes, targetShape: withBatch(this.opts.targetShape) };
  }

  private sessionConfig(): SessionConfig {
    return { ...this.opts.session, threads: this.opts.threads ?? 2 };
  }

  /** The batch size of a batch, checked against every array's length. */
  batchSize(batch: Batch, needTarget: boolean): number {
    const names = [...Object.keys(this.opts.inputShapes), ...(needTarget ? [TARGET] : [])];
    let n = -1;
    for (const name of names) {
      const a = batch[name];
      if (!a) throw new Error(`batch: missing '${name}'`);
      const per = this.perExample[name];
      if (a.length % per !== 0 || (n >= 0 && a.length / per !== n))
        throw new Error(
          `batch: '${name}' has ${a.length} values, not a whole batch of ${per}-value examples`,
        );
      n = a.length / per;
    }
    if (n < 1) throw new Error('batch: empty');
    return n;
  }

  private trainSession(n: number): Promise<StepSession> {
    let s = this.trainSessions.get(n);
    if (!s) {
      const compiled = compileTrainStep(this.shapes(n), this.opts.optimizer);
      s = createSession(compiled.bytes, this.sessionConfig()).then((session) => ({
        session,
        noise: compiled.noise.map((z) => {
          const data = new Float32Array(z.shape.reduce((a, b) => a * b, 1));
          return { ...z, data, tensor: f32(data, z.shape) };
        }),
      }));
      this.trainSessions.set(n, s);
    }
    return s;
  }

  private evalSession(n: number): Promise<InferenceSession> {
    let s = this.evalSessions.get(n);
    if (!s) {
      s = createSession(compileForward(this.shapes(n), { withLoss: true }), this.sessionConfig());
      this.evalSessions.set(n, s);
    }
    return s;
  }

  private dataFeeds(batch: Batch, n: number, withTarget: boolean): Record<string, Tensor> {
    const spec = this.shapes(n);
    const feeds: Record<string, Tensor> = {};
    for (const [k, s] of Object.entries(spec.inputShapes)) feeds[k] = f32(batch[k], s);
    if (withTarget) feeds[TARGET] = f32(batch[TARGET], spec.targetShape);
    return feeds;
  }

  /** Compiles and loads the train-step session for a batch size ahead of the first step. */
  async prepare(batchSize: number): Promise<void> {
    await this.trainSession(batchSize);
  }

  /** One optimizer step on one batch; returns the loss before the update. */
  async step(batch: Batch): Promise<number> {
    const n = this.batchSize(batch, true);
    const { session, noise } = await this.trainSession(n);
    const feeds = this.dataFeeds(batch, n, true);
    this.lrData[0] = this.lr;
    this.stepData[0] = this.stepCount + 1;
    feeds.lr = this.scalarTensors.lr;
    feeds.step = this.scalarTensors.step;
    for (const z of noise) {
      this.rng.fill(z.data);
      feeds[z.name] = z.tensor;
    }
    const fetches: Record<string, Tensor | null> = { loss: null };
    for (const name of this.buffers.names()) {
      feeds[name] = this.buffers.currentTensor(name);
      fetches[nextName(name)] = this.buffers.nextTensor(name);
    }
    const out = await session.run(feeds, fetches);
    this.buffers.swap();
    this.stepCount++;
    return (out.loss.data as Float32Array)[0];
  }

  private paramFeeds(feeds: Record<string, Tensor>): void {
    for (const p of this.opts.model.params) feeds[p.name] = this.buffers.currentTensor(p.name);
    for (const s of this.opts.model.states) feeds[s.name] = this.buffers.currentTensor(s.name);
  }

  /** Inference-mode forward pass and loss (running statistics, no dropout, no update). */
  async evaluate(batch: Batch): Promise<{ loss: number; prediction: Float32Array }> {
    const n = this.batchSize(batch, true);
    const session = await this.evalSession(n);
    const feeds = this.dataFeeds(batch, n, true);
    this.paramFeeds(feeds);
    const out = await session.run(feeds);
    return {
      loss: (out.loss.data as Float32Array)[0],
      prediction: Float32Array.from(out[PREDICTION].data as Float32Array),
    };
  }

  /** Inference-mode model output for a batch of inputs (no target needed). */
  async predict(inputs: Batch): Promise<Float32Array> {
    const n = this.batchSize(inputs, false);
    const session = await this.evalSession(n);
    const feeds = this.dataFeeds(inputs, n, false);
    // The evaluation graph also computes the loss; a zero target keeps one session per batch size.
    const spec = this.shapes(n);
    feeds[TARGET] = f32(new Float32Array(spec.targetShape.reduce((a, b) => a * b, 1)), spec.targetShape);
    this.paramFeeds(feeds);
    const out = await session.run(feeds, [PREDICTION]);
    return Float32Array.from(out[PREDICTION].data as Float32Array);
  }

  /** Copies of the parameters and model state (not optimizer slots), by name. */
  getWeights(): Map<string, Float32Array> {
    const m = new Map<string, Float32Array>();
    for (const p of this.opts.model.params) m.set(p.name, Float32Array.from(this.buffers.current(p.name)));
    for (const s of this.opts.model.states) m.set(s.name, Float32Array.from(this.buffers.current(s.name)));
    return m;
  }

  /** Overwrites parameters/state present in `weights`; unknown names are an error. */
  setWeights(
    weights: ReadonlyMap<string, ArrayLike<number>> | Readonly<Record<string, ArrayLike<number>>>,
  ): void {
    const entries = weights instanceof Map ? [...weights.entries()] : Object.entries(weights);
    for (const [name, v] of entries) {
      if (!this.buffers.has(name)) throw new Error(`setWeights: the model has no tensor named '${name}'`);
      this.buffers.set(name, v);
    }
  }

  /** Writes parameters, optimizer slots, model state, step count, RNG state, lr and `epoch` (epochs completed). */
  saveCheckpoint(path: string, epoch: number, meta?: Record<string, unknown>): void {
    const names = this.buffers.names();
    const tensors = new Map(names.map((n) => [n, this.buffers.current(n)] as const));
    writeCheckpoint(
      path,
      {
        version: CHECKPOINT_VERSION,
        model: this.opts.model.name,
        optimizer: this.opts.optimizer.config(),
        stepCount: this.stepCount,
        rngState: this.rng.getState(),
        lr: this.lr,
        epoch,
        tensors: names.map((name) => ({ name, shape: this.buffers.shape(name) })),
        meta,
      },
      tensors,
    );
  }

  /** Restores a checkpoint written by saveCheckpoint for the same model and optimizer; returns its header. */
  loadCheckpoint(path: string): CheckpointHeader {
    const { header, tensors } = readCheckpoint(path);
    if (header.model !== this.opts.model.name)
      throw new Error(
        `${path}: checkpoint of model '${header.model}', this trainer runs '${this.opts.model.name}'`,
      );
    const want = this.opts.optimizer.config();
    if (header.optimizer.kind !== want.kind)
      throw new Error(
        `${path}: checkpoint of a ${header.optimizer.kind} optimizer, this trainer uses ${want.kind}`,
      );
    for (const name of this.buffers.names()) {
      const v = tensors.get(name);
      if (!v) throw new Error(`${path}: checkpoint has no tensor '${name}'`);
      this.buffers.set(name, v);
    }
    this.stepCount = header.stepCount;
    this.rng.setState(header.rngState);
    this.lr = header.lr;
    return header;
  }

  /** Writes a standalone inference .onnx with the current weights baked in (see export.ts). */
  exportInference(path: string, opts: ExportOptions = {}): ExportResult {
    return exportInference(this.opts, this.getWeights(), path, opts);
  }

  async dispose(): Promise<void> {
    const all = [
      ...[...this.trainSessions.values()].map(async (s) => (await s).session),
      ...this.evalSessions.values(),
    ];
    for (const s of all) await (await s).release();
    this.trainSessions.clear();
    this.evalSessions.clear();
  }
}
