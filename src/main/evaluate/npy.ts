import { writeFileSync } from 'node:fs';

/**
 * Encodes a float32 array as a NumPy .npy file, format version 1.0: magic, version, a little-endian
 * uint16 header length, then a Python-literal dict padded with spaces and a newline so the data starts
 * on a 64-byte boundary, then the raw little-endian float32 data in C order.
 */
export function encodeNpyFloat32(data: Float32Array, shape: readonly number[]): Buffer {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n !== data.length)
    throw new RangeError(`npy: shape [${shape.join(', ')}] holds ${n} values, data has ${data.length}`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const pre = 10;
  const total = Math.ceil((pre + header.length + 1) / 64) * 64;
  header = header.padEnd(total - pre - 1, ' ') + '\n';
  const out = Buffer.alloc(total + data.length * 4);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  out.writeUInt16LE(header.length, 8);
  out.write(header, pre, 'latin1');
  const body = new Float32Array(out.buffer, out.byteOffset + total, data.length);
  // Buffer memory is little-endian on every platform Node supports, like '<f4'.
  body.set(data);
  return out;
}

export function writeNpyFloat32(file: string, data: Float32Array, shape: readonly number[]): void {
  writeFileSync(file, encodeNpyFloat32(data, shape));
}
