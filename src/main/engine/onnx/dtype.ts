/** Element types the engine emits. Names follow onnxruntime-node's `Tensor.type` strings. */
export type DType = 'float32' | 'float64' | 'int64' | 'int32' | 'bool' | 'uint8';

/** ONNX TensorProto.DataType codes. */
export const ONNX_DTYPE: Record<DType, number> = {
  float32: 1,
  uint8: 2,
  int32: 6,
  int64: 7,
  bool: 9,
  float64: 11,
};

export function isFloat(d: DType): boolean {
  return d === 'float32' || d === 'float64';
}

export type Shape = readonly number[];

export function numel(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function fmtShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Encodes numbers as little-endian bytes for TensorProto.raw_data (ORT reads raw_data fastest). */
export function toRawBytes(dtype: DType, values: ArrayLike<number> | ArrayLike<bigint>): Uint8Array {
  const n = values.length;
  const toNum = (i: number): number => Number(values[i]);
  switch (dtype) {
    case 'float32': {
      const a =
        values instanceof Float32Array ? values : Float32Array.from({ length: n }, (_, i) => toNum(i));
      return new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
    }
    case 'float64': {
      const a =
        values instanceof Float64Array ? values : Float64Array.from({ length: n }, (_, i) => toNum(i));
      return new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
    }
    case 'int64': {
      const a = new BigInt64Array(n);
      for (let i = 0; i < n; i++) a[i] = BigInt(values[i] as number | bigint);
      return new Uint8Array(a.buffer);
    }
    case 'int32':
      return new Uint8Array(Int32Array.from({ length: n }, (_, i) => toNum(i)).buffer);
    case 'bool':
    case 'uint8':
      return Uint8Array.from({ length: n }, (_, i) => (toNum(i) ? (dtype === 'bool' ? 1 : toNum(i)) : 0));
  }
}
