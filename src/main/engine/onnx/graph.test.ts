import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { Graph, ShapeError } from './graph.ts';
import { decodeModel } from './proto.ts';
import * as op from './ops/index.ts';

describe('Graph', () => {
  it('emits a model ORT runs, with static shapes on inputs and outputs', async () => {
    const g = new Graph('t');
    const a = g.input('a', 'float32', [2, 3]);
    const b = g.input('b', 'float32', [3]);
    g.output(op.mul(op.add(a, b), 2), 'y');
    const s = await ort.InferenceSession.create(g.toBytes());
    const r = await s.run({
      a: new ort.Tensor('float32', Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]),
      b: new ort.Tensor('float32', Float32Array.from([10, 20, 30]), [3]),
    });
    expect(Array.from(r.y.data as Float32Array)).toEqual([22, 44, 66, 28, 50, 72]);
    expect(r.y.dims).toEqual([2, 3]);
  });

  it('merges identical nodes, skips no-ops and drops dead nodes', () => {
    const g = new Graph();
    const x = g.input('x', 'float32', [4, 5]);
    const s1 = op.sigmoid(x);
    const s2 = op.sigmoid(x);
    expect(s1).toBe(s2);
    expect(op.reshape(x, [4, 5])).toBe(x);
    expect(op.reshape(op.reshape(x, [20]), [4, 5])).toBe(x);
    expect(op.transpose(x, [0, 1])).toBe(x);
    expect(op.mul(x, 1)).toBe(x);
    op.tanh(x); // never output: must not be serialised
    g.output(op.add(s1, s2), 'y');
    const m = decodeModel(g.toBytes()) as { graph: { node: { opType: string }[] } };
    expect(m.graph.node.map((n) => n.opType)).toEqual(['Sigmoid', 'Add']);
  });

  it('gives an input that is also an output its own Identity', async () => {
    const g = new Graph();
    const x = g.input('x', 'float64', [2]);
    g.output(x, 'same');
    g.output(x, 'again');
    g.output(op.neg(x), 'neg');
    const s = await ort.InferenceSession.create(g.toBytes());
    const r = await s.run({ x: new ort.Tensor('float64', Float64Array.from([1.5, -2]), [2]) });
    expect(Array.from(r.same.data as Float64Array)).toEqual([1.5, -2]);
    expect(Array.from(r.again.data as Float64Array)).toEqual([1.5, -2]);
    expect(s.outputNames).toEqual(['same', 'again', 'neg']);
    expect(Array.from(r.neg.data as Float64Array)).toEqual([-1.5, 2]);
  });

  it('names the op and the shapes in shape errors', () => {
    const g = new Graph();
    const a = g.input('a', 'float32', [2, 3]);
    const b = g.input('b', 'float32', [4]);
    const w = g.input('w', 'float32', [8, 4, 3, 3]);
    const x = g.input('x', 'float32', [1, 3, 8, 8]);
    expect(() => op.add(a, b)).toThrow(new ShapeError('Add', 'shapes [2,3] and [4] cannot be broadcast'));
    expect(() => op.matmul(a, a)).toThrow('MatMul: inner dimensions differ: [2,3] x [2,3]');
    expect(() => op.conv(x, w, null)).toThrow(
      'Conv: input [1,3,8,8] has 3 channels but weight [8,4,3,3] expects 4 (group 1)',
    );
    expect(() => op.reshape(a, [4, 2])).toThrow('Reshape: cannot reshape [2,3] to [4,2]');
    expect(() => op.concat([a, b], 0)).toThrow('Concat: inputs [2,3], [4] differ outside axis 0');
    expect(() => g.input('a', 'float32', [1])).toThrow("the name 'a' is already used");
    expect(() => op.split(a, [1, 1], 1)).toThrow('Split: sizes [1,1] do not add up to [2,3] along axis 1');
    expect(() => op.slice(a, { starts: [0], ends: [1], axes: [2] })).toThrow(
      'Slice: axis 2 is out of range for shape [2,3]',
    );
    expect(() => op.pad(a, [1, 1])).toThrow('Pad: needs 4 pads for input [2,3], got [1,1]');
    expect(() => op.gemm(a, a, null)).toThrow('Gemm: inner dimensions differ: A [2,3] x B [2,3]');
    expect(() => op.maxPool(x, { kernel: [9, 9] })).toThrow(
      'MaxPool: kernel [9,9] is larger than input [1,3,8,8]',
    );
    expect(() => op.transpose(a, [0, 0])).toThrow('Transpose: perm [0,0] does not fit input [2,3]');
    expect(() => op.add(a, g.input('i', 'int64', [3]))).toThrow(
      'Add: dtypes differ: float32[2,3] and int64[3]',
    );
  });
});
