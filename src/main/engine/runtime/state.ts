/**
 * Ping-pong buffers for everything a train step reads and rewrites (parameters, optimizer slots,
 * model state). Step k feeds side A and lets ORT write the next values straight into side B's
 * preallocated tensors; step k+1 feeds B and writes A. Nothing is allocated or copied per step.
 */
import type { Tensor } from 'onnxruntime-node';
import { f32 } from './session.ts';

interface Entry {
  shape: number[];
  data: [Float32Array, Float32Array];
  tensors: [Tensor, Tensor];
}

export class PingPong {
  private readonly entries = new Map<string, Entry>();
  private side: 0 | 1 = 0;

  add(name: string, shape: readonly number[], init: Float32Array): void {
    const n = shape.reduce((a, b) => a * b, 1);
    if (init.length !== n)
      throw new Error(`state '${name}': ${init.length} values for shape [${shape.join(',')}]`);
    const a = Float32Array.from(init);
    const b = new Float32Array(n);
    this.entries.set(name, { shape: [...shape], data: [a, b], tensors: [f32(a, shape), f32(b, shape)] });
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  shape(name: string): number[] {
    return this.entry(name).shape;
  }

  private entry(name: string): Entry {
    const e = this.entries.get(name);
    if (!e) throw new Error(`no tensor named '${name}'`);
    return e;
  }

  /** The live values (a view: valid until the next step). */
  current(name: string): Float32Array {
    return this.entry(name).data[this.side];
  }

  currentTensor(name: string): Tensor {
    return this.entry(name).tensors[this.side];
  }

  nextTensor(name: string): Tensor {
    return this.entry(name).tensors[this.side ^ 1];
  }

  set(name: string, values: ArrayLike<number>): void {
    const cur = this.current(name);
    if (values.length !== cur.length)
      throw new Error(`'${name}' holds ${cur.length} values, got ${values.length}`);
    cur.set(values);
  }

  swap(): void {
    this.side = this.side === 0 ? 1 : 0;
  }
}
