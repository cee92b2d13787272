import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';

/**
 * Encodes a float32 array as a NumPy .npy file, format version 1.0: magic, version, a little-endian
 * uint16 header length, then a Python-literal dict padded with spaces and a newline so the data starts
 * on a 64-byte boundary, then the raw little-endian float32 data in C order.
 */
export function encodeNpyFloat32(data: Float32Array, shape: readonly number[]): Buffer {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n !== data.length)
    throw new RangeError(`npy: shape [${shape.join(', ')}] holds ${n} values, data has ${data.length}`);
  const header = npyHeader(shape);
  const out = Buffer.alloc(header.length + data.length * 4);
  out.set(header, 0);
  const body = new Float32Array(out.buffer, out.byteOffset + header.length, data.length);
  // Buffer memory is little-endian on every platform Node supports, like '<f4'.
  body.set(data);
  return out;
}

/** The magic, version, length and padded header dict of a float32 array of this shape. */
export function npyHeader(shape: readonly number[]): Buffer {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const pre = 10;
  const total = Math.ceil((pre + header.length + 1) / 64) * 64;
  header = header.padEnd(total - pre - 1, ' ') + '\n';
  const out = Buffer.alloc(total);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  out.writeUInt16LE(header.length, 8);
  out.write(header, pre, 'latin1');
  return out;
}

export function writeNpyFloat32(file: string, data: Float32Array, shape: readonly number[]): void {
  writeFileSync(file, encodeNpyFloat32(data, shape));
}

/**
 * Writes a float32 .npy of a known shape row by row (one forecast step at a time), so a long
 * evaluation's forecasts go to disk as they are made instead of being held in memory.
 */
export class NpyFloat32Writer {
  private readonly fd: number;
  private written = 0;
  private readonly expected: number;

  constructor(
    readonly file: string,
    readonly shape: readonly number[],
  ) {
    this.expected = shape.reduce((a, b) => a * b, 1);
    this.fd = openSync(file, 'w');
    writeSync(this.fd, npyHeader(shape));
  }

  append(values: Float32Array): void {
    if (this.written + values.length > this.expected)
      throw new RangeError(`npy: ${this.file} holds ${this.expected} values, got more`);
    writeSync(this.fd, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    this.written += values.length;
  }

  /** Closes the file; throws when fewer values than the shape holds were written. */
  close(): void {
    closeSync(this.fd);
    if (this.written !== this.expected)
      throw new RangeError(`npy: ${this.file} got ${this.written} of ${this.expected} values`);
  }

  /** Closes the file without checking (an evaluation that failed or was cancelled). */
  abandon(): void {
    closeSync(this.fd);
  }
}
