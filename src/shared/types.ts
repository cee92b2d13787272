/** Types shared by the core, the CLI, the IPC contract and the renderer. Pure: no Node, no DOM. */

export const EVENT_TYPES = ['single', 'multiple', 'gunshot_or_firecracker', 'unknown'] as const;
export type EventType = (typeof EVENT_TYPES)[number];
/**
 * The type channels of a tensor, in channel order. `unknown` events are in no channel, but they count
 * in the all-event total that risk is forecast and scored from.
 */
export const MODEL_TYPES = ['single', 'multiple', 'gunshot_or_firecracker'] as const;
export type ModelType = (typeof MODEL_TYPES)[number];

/** What every door says instead of a type mix when a dataset has no typed event. */
export const NO_TYPES_NOTE = 'this dataset has no gunshot types; the type mix is not forecast';

export type StepUnit = 'hour' | 'shift' | 'day' | 'week';

/** Progress of any long job, drawn by the CLI as a bar and by the UI as a bar with ETA. */
export interface Progress {
  job: string;
  phase: string;
  done: number;
  total: number;
  /** Seconds left, when it can be estimated. */
  etaSeconds?: number;
  /**
   * True when etaSeconds is an upper bound: the job may stop sooner (early stopping), and never runs
   * past its time cap (etaSeconds is then at most the cap's remaining time).
   */
  etaAtMost?: boolean;
  message?: string;
  /** Free-form numbers a job may report (loss, examples per second, …). */
  metrics?: Record<string, number>;
}
export type ProgressFn = (p: Progress) => void;

/** [south, west, north, east] in degrees WGS84. */
export type BBox = [number, number, number, number];
