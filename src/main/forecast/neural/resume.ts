/**
 * Training that survives a kill: after every epoch the loop's whole state goes to a checkpoint (the
 * trainer's weights, optimizer slots, step count, RNG state and learning rate, plus the epoch, the
 * best score and its weights, the early-stopping and plateau counters and the history so far), so a
 * run started again with `resume` ends exactly where the uninterrupted run ends. The shuffle order's
 * generator is a pure function of the seed and the epochs done, so it is restored by replaying them.
 */
import { existsSync, rmSync } from 'node:fs';
import { readCheckpoint, writeCheckpoint, CHECKPOINT_VERSION } from '../../engine/runtime/checkpoint.ts';
import type { Trainer } from '../../engine/runtime/trainer.ts';
import { DataError } from '../../util/errors.ts';
import type { TrainOutcome } from './train-loop.ts';

/** Where a run keeps its checkpoint, whether to continue from it, and what it must belong to. */
export interface RunCheckpointing {
  path: string;
  resume: boolean;
  /** A fingerprint of the run's data, split and settings; a checkpoint of another run is refused. */
  key: string;
}

export interface LoopState {
  epoch: number;
  best: number;
  bestEpoch: number;
  sinceBest: number;
  sincePlateau: number;
  valHistory: TrainOutcome['valHistory'];
  trainLosses: number[];
  seconds: number;
}

const bestPath = (path: string): string => `${path}.best`;

/** JSON has no NaN or ±Infinity; they travel as strings. */
function encode(x: number): number | string {
  return Number.isFinite(x) ? x : String(x);
}
function decode(x: unknown): number {
  return typeof x === 'number' ? x : Number(x);
}

/**
 * Saves the loop's state after `state.epoch` epochs. The best weights are written first (only when
 * they changed), then the checkpoint, each by write-then-rename, so a kill at any instant leaves a
 * consistent pair: a checkpoint never points at best weights newer than itself.
 */
export function saveLoop(
  trainer: Trainer,
  ck: RunCheckpointing,
  state: LoopState,
  bestWeights: ReadonlyMap<string, Float32Array> | null,
): void {
  if (bestWeights) {
    const names = [...bestWeights.keys()];
    writeCheckpoint(
      bestPath(ck.path),
      {
        version: CHECKPOINT_VERSION,
        model: 'best-weights',
        optimizer: {},
        stepCount: 0,
        rngState: 0,
        lr: 0,
        epoch: state.bestEpoch,
        tensors: names.map((name) => ({ name, shape: [bestWeights.get(name)!.length] })),
        meta: { key: ck.key },
      },
      bestWeights,
    );
  }
  trainer.saveCheckpoint(ck.path, state.epoch, {
    key: ck.key,
    loop: {
      ...state,
      best: encode(state.best),
      valHistory: state.valHistory.map((h) => ({
        ...h,
        loss: encode(h.loss),
        deviance: encode(h.deviance),
        calibratedDeviance: encode(h.calibratedDeviance ?? NaN),
      })),
      trainLosses: state.trainLosses.map(encode),
    },
  });
}

/** Restores the trainer and returns the loop's state and best weights; refuses another run's checkpoint. */
export function loadLoop(
  trainer: Trainer,
  ck: RunCheckpointing,
): { state: LoopState; bestWeights: Map<string, Float32Array> } {
  if (!existsSync(ck.path) || !existsSync(bestPath(ck.path)))
    throw new DataError(`no interrupted run with these arguments to resume (looked for ${ck.path})`);
  const peek = readCheckpoint(ck.path).header;
  if (peek.meta?.key !== ck.key)
    throw new DataError(`${ck.path}: the checkpoint belongs to another run (other data, split or settings)`);
  const header = trainer.loadCheckpoint(ck.path);
  const loop = header.meta?.loop as Record<string, unknown>;
  const best = readCheckpoint(bestPath(ck.path));
  const state: LoopState = {
    epoch: header.epoch,
    best: decode(loop.best),
    bestEpoch: decode(loop.bestEpoch),
    sinceBest: decode(loop.sinceBest),
    sincePlateau: decode(loop.sincePlateau),
    valHistory: (loop.valHistory as Record<string, unknown>[]).map((h) => ({
      epoch: decode(h.epoch),
      loss: decode(h.loss),
      hitRate1: decode(h.hitRate1),
      hitRate5: decode(h.hitRate5),
      deviance: decode(h.deviance),
      ...(h.calibratedDeviance !== undefined ? { calibratedDeviance: decode(h.calibratedDeviance) } : {}),
      lr: decode(h.lr),
    })),
    trainLosses: (loop.trainLosses as unknown[]).map(decode),
    seconds: decode(loop.seconds),
  };
  return { state, bestWeights: best.tensors };
}

/** Removes a run's checkpoint once its model is registered. */
export function removeLoop(ck: RunCheckpointing): void {
  rmSync(ck.path, { force: true });
  rmSync(bestPath(ck.path), { force: true });
}
