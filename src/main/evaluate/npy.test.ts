import { describe, expect, it } from 'vitest';
import { encodeNpyFloat32 } from './npy.ts';

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
});
