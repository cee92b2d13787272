/**
 * Checkpoint files: everything needed to continue a run exactly where it stopped — parameters,
 * optimizer slots, model state, the optimizer step count, the RNG state, the epoch, the learning rate.
 *
 * Layout: the 8 bytes "SHOTCKPT", a uint32 (little-endian) header length, a UTF-8 JSON header, zero
 * padding to a multiple of 4, then every tensor as float32 little-endian in header order.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

const MAGIC = 'SHOTCKPT';
export const CHECKPOINT_VERSION = 1;

export interface CheckpointHeader {
  version: number;
  model: string;
  optimizer: Record<string, number | string | boolean>;
  stepCount: number;
  rngState: number;
  lr: number;
  /** Epochs completed. */
  epoch: number;
  tensors: { name: string; shape: number[] }[];
  meta?: Record<string, unknown>;
}

export interface Checkpoint {
  header: CheckpointHeader;
  tensors: Map<string, Float32Array>;
}

export function writeCheckpoint(
  path: string,
  header: CheckpointHeader,
  tensors: ReadonlyMap<string, Float32Array>,
): void {
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  const pad = (4 - ((12 + head.length) % 4)) % 4;
  let floats = 0;
  for (const t of header.tensors) floats += (tensors.get(t.name) as Float32Array).length;
  const buf = Buffer.alloc(12 + head.length + pad + floats * 4);
  buf.write(MAGIC, 0, 'latin1');
  buf.writeUInt32LE(head.length, 8);
  head.copy(buf, 12);
  let off = 12 + head.length + pad;
  for (const t of header.tensors) {
    const v = tensors.get(t.name);
    if (!v) throw new Error(`checkpoint: no values for '${t.name}'`);
    Buffer.from(v.buffer, v.byteOffset, v.byteLength).copy(buf, off);
    off += v.byteLength;
  }
  // Write then rename, so a crash mid-write never leaves a truncated checkpoint under the real name.
  writeFileSync(`${path}.tmp`, buf);
  renameSync(`${path}.tmp`, path);
}

export function readCheckpoint(path: string): Checkpoint {
  const buf = readFileSync(path);
  if (buf.length < 12 || buf.toString('latin1', 0, 8) !== MAGIC)
    throw new Error(`${path}: not a shotcast checkpoint (bad magic)`);
  const len = buf.readUInt32LE(8);
  const header = JSON.parse(buf.toString('utf8', 12, 12 + len)) as CheckpointHeader;
  if (header.version !== CHECKPOINT_VERSION)
    throw new Error(`${path}: checkpoint version ${header.version}, this build reads ${CHECKPOINT_VERSION}`);
  let off = 12 + len + ((4 - ((12 + len) % 4)) % 4);
  const tensors = new Map<string, Float32Array>();
  for (const t of header.tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (off + n * 4 > buf.length) throw new Error(`${path}: truncated at tensor '${t.name}'`);
    const v = new Float32Array(n);
    Buffer.from(v.buffer).set(buf.subarray(off, off + n * 4));
    tensors.set(t.name, v);
    off += n * 4;
  }
  return { header, tensors };
}
