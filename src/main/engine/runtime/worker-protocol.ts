/** Messages between trainInWorker and train.worker.ts. */
import type { ExportResult } from '../export.ts';
import type { Dataset, FitOptions, FitResult, TrainProgress } from './fit.ts';

export interface WorkerJob {
  /** URL (href) of a module exporting createSetup(setupOptions) → { model, loss, optimizer, inputShapes, targetShape }. */
  setupModule: string;
  setupOptions: unknown;
  seed: number;
  threads: number;
  data: Dataset;
  fit: Omit<FitOptions, 'onProgress' | 'signal' | 'startEpoch'>;
  /** Overrides the optimizer's learning rate (ignored when resuming: the checkpoint's lr wins). */
  lr?: number;
  /** A checkpoint to resume from. */
  resumeFrom?: string;
  /** Where to export the trained model as standalone inference ONNX. */
  exportPath?: string;
}

export type ToWorker = { type: 'cancel' };

export type FromWorker =
  | { type: 'progress'; progress: TrainProgress }
  | {
      type: 'done';
      result: FitResult;
      weights: Record<string, Float32Array>;
      stepCount: number;
      exported?: ExportResult;
    }
  | { type: 'error'; message: string };
