import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeNpyFloat32, NpyFloat32Writer } from './npy.ts';

describe('.npy writer', () => {
  it('writes a v1.0 header padded to 64 bytes and little-endian float32 data in C order', () => {
    const data = Float32Array.from([1, -2.5, 3, 0.1, 5, 6]);
    const buf = encodeNpyFloat32(data, [1, 2, 3]);
    expect(Array.from(buf.subarray(0, 8))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const hlen = buf.readUInt16LE(8);
    expect((10 + hlen) % 64).toBe(0);
    const header = buf.subarray(10, 10 + hlen).toString('latin1');
    expect(header.trimEnd()).toBe("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 3), }");
    expect(header.endsWith('\n')).toBe(true);
    const body = buf.subarray(10 + hlen);
    expect(body.length).toBe(24);
    expect([0, 1, 2, 3, 4, 5].map((i) => body.readFloatLE(i * 4))).toEqual(Array.from(data));
  });

  it('writes a 1-D shape as a one-tuple and rejects a shape that does not fit', () => {
    const header = encodeNpyFloat32(new Float32Array(4), [4]).subarray(10, 64).toString('latin1');
    expect(header).toContain("'shape': (4,)");
    expect(() => encodeNpyFloat32(new Float32Array(5), [2, 2])).toThrow(/holds 4 values, data has 5/);
  });

  it('streams rows to a file that equals the one-shot encoding, and checks the count', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shotcast-npy-'));
    try {
      const data = Float32Array.from({ length: 3 * 70 }, (_, i) => Math.sin(i) * 1e3);
      const w = new NpyFloat32Writer(join(dir, 'a.npy'), [3, 7, 10]);
      for (let s = 0; s < 3; s++) w.append(data.subarray(s * 70, (s + 1) * 70));
      w.close();
      expect(readFileSync(join(dir, 'a.npy')).equals(encodeNpyFloat32(data, [3, 7, 10]))).toBe(true);
      const short = new NpyFloat32Writer(join(dir, 'b.npy'), [2, 3]);
      short.append(new Float32Array(3));
      expect(() => short.append(new Float32Array(4))).toThrow(/holds 6 values/);
      expect(() => short.close()).toThrow(/got 3 of 6 values/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
