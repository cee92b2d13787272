/** Helpers for tests of training runs. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readCheckpoint } from '../engine/runtime/checkpoint.ts';

/**
 * The epoch of the training-run checkpoint in a runs folder (`<db name>-models/runs/`), or -1 when
 * there is none or it is being written.
 */
export function savedCheckpointEpoch(runsDir: string): number {
  if (!existsSync(runsDir)) return -1;
  const file = readdirSync(runsDir).find((f) => f.endsWith('.ckpt'));
  if (!file) return -1;
  try {
    return readCheckpoint(join(runsDir, file)).header.epoch;
  } catch {
    return -1;
  }
}
