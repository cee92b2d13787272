/** onnxruntime-node session creation with the engine's defaults. */
import { InferenceSession, Tensor } from 'onnxruntime-node';

export interface SessionConfig {
  /** Intra-op threads; default 2 (the target machine has 2 cores). */
  threads?: number;
  /** Spinning burns a core while waiting for work, which hurts on a busy machine: off by default. */
  spinning?: boolean;
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /**
   * ORT's memory pattern plans one block for all of a run's intermediates. Off by default: without the
   * arena that block was a fresh mmap every run, page-faulted in anew (≈370k minor faults and 1.5 CPU-s of
   * kernel time per batch-20 train step); with the arena, a pattern block cannot reuse the blocks the
   * first, unplanned run left behind, so RSS doubled (1.6 → 3.2 GB).
   */
  enableMemPattern?: boolean;
  /**
   * ORT's CPU arena keeps freed blocks for the next run. On by default (with the memory pattern off):
   * the train step then stops page-faulting after its first run (≈1k faults per step) and its peak RSS
   * fell from 1.81 to 1.71 GB at batch 20.
   */
  cpuArena?: boolean;
  /** Write ORT's per-node profile (Chrome trace JSON) to `<prefix>_<date>.json` when the session is released. */
  profilePrefix?: string;
}

export function sessionOptions(cfg: SessionConfig = {}): InferenceSession.SessionOptions {
  const spin = cfg.spinning ? '1' : '0';
  return {
    intraOpNumThreads: cfg.threads ?? 2,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: cfg.graphOptimizationLevel ?? 'all',
    enableCpuMemArena: cfg.cpuArena ?? true,
    enableMemPattern: cfg.enableMemPattern ?? false,
    extra: { session: { intra_op: { allow_spinning: spin }, inter_op: { allow_spinning: spin } } },
    ...(cfg.profilePrefix ? { enableProfiling: true, profileFilePrefix: cfg.profilePrefix } : {}),
  };
}

export function createSession(bytes: Uint8Array, cfg: SessionConfig = {}): Promise<InferenceSession> {
  return InferenceSession.create(bytes, sessionOptions(cfg));
}

export function f32(data: Float32Array, dims: readonly number[]): Tensor {
  return new Tensor('float32', data, dims);
}
