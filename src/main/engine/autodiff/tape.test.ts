import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { Graph } from '../onnx/graph.ts';
import * as op from '../onnx/ops/index.ts';
import { decodeModel } from '../onnx/proto.ts';
import { gradients } from './tape.ts';

async function run(g: Graph, feeds: Record<string, Float64Array>, shapes: Record<string, number[]>) {
  const s = await ort.InferenceSession.create(g.toBytes(), { intraOpNumThreads: 1 });
  const r = await s.run(
    Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, new ort.Tensor('float64', v, shapes[k])])),
  );
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Array.from(v.data as Float64Array)]));
}

describe('gradients', () => {
  it('accumulates the gradient of a tensor used several times (closed form 2x + 3 + 1)', async () => {
    const g = new Graph();
    const x = g.input('x', 'float64', [3]);
    const y = op.reduceSum(op.add(op.add(op.mul(x, x), op.mul(x, 3)), x), { keepdims: false });
    const [dx] = gradients(y, [x]);
    g.output(dx, 'dx');
    const r = await run(g, { x: Float64Array.from([1, -2, 0.5]) }, { x: [3] });
    expect(r.dx).toEqual([6, 0, 5]);
    expect(dx.shape).toEqual([3]);
  });

  it('emits a lean backward graph: pairwise Adds for a multiply-used value, no Sum, no redundant reshapes', () => {
    const g = new Graph();
    const x = g.input('x', 'float32', [2, 3]);
    const s = op.sigmoid(x);
    const y = op.reduceSum(op.add(op.mul(s, s), s), { keepdims: false });
    const [dx] = gradients(y, [x]);
    g.output(dx, 'dx');
    const ops = (decodeModel(g.toBytes()) as { graph: { node: { opType: string }[] } }).graph.node.map(
      (n) => n.opType,
    );
    expect(ops.filter((o) => o === 'Reshape')).toEqual([]);
    // s is read three times: its three contributions take two Adds (ORT runs Sum on one thread); the
    // forward Add is not needed for dx.
    expect(ops.filter((o) => o === 'Sum')).toEqual([]);
    expect(ops.filter((o) => o === 'Add')).toHaveLength(2);
    expect(ops.filter((o) => o === 'Sigmoid')).toEqual(['Sigmoid']);
  });

  it('propagates NaN to exactly the elements that depend on it', async () => {
    const g = new Graph();
    const x = g.input('x', 'float64', [4]);
    const w = g.input('w', 'float64', [4]);
    const y = op.reduceSum(op.mul(op.log(op.sigmoid(x)), w), { keepdims: false });
    const [dx, dw] = gradients(y, [x, w]);
    g.output(dx, 'dx');
    g.output(dw, 'dw');
    const r = await run(
      g,
      { x: Float64Array.from([0.5, NaN, -1, 2]), w: Float64Array.from([1, 1, NaN, 1]) },
      {
        x: [4],
        w: [4],
      },
    );
    expect(r.dx.map(Number.isNaN)).toEqual([false, true, true, false]);
    expect(r.dw.map(Number.isNaN)).toEqual([false, true, false, false]);
  });

  it('propagates NaN through MatMul to every product it enters', async () => {
    const g = new Graph();
    const a = g.input('a', 'float64', [2, 2]);
    const b = g.input('b', 'float64', [2, 2]);
    const [da, db] = gradients(op.reduceSum(op.matmul(a, b), { keepdims: false }), [a, b]);
    g.output(da, 'da');
    g.output(db, 'db');
    const r = await run(
      g,
      { a: Float64Array.from([NaN, 1, 2, 3]), b: Float64Array.from([1, 2, 3, 4]) },
      {
        a: [2, 2],
        b: [2, 2],
      },
    );
    expect(r.da).toEqual([3, 7, 3, 7]);
    expect(r.db.map(Number.isNaN)).toEqual([true, true, false, false]);
  });

  it('takes a seed for a vector-Jacobian product', async () => {
    const g = new Graph();
    const x = g.input('x', 'float64', [2]);
    const v = g.input('v', 'float64', [2]);
    const [dx] = gradients(op.mul(x, x), [x], { seed: v });
    g.output(dx, 'dx');
    const r = await run(
      g,
      { x: Float64Array.from([3, 4]), v: Float64Array.from([10, 100]) },
      { x: [2], v: [2] },
    );
    expect(r.dx).toEqual([60, 800]);
  });

  it('refuses a non-scalar loss, an unconnected parameter and an op without a rule, by name', () => {
    const g = new Graph();
    const x = g.input('x', 'float32', [2, 3]);
    const p = g.input('p', 'float32', [3]);
    expect(() => gradients(op.sigmoid(x), [x])).toThrow(
      'has shape [2,3]; pass a seed or reduce it to a scalar',
    );
    const loss = op.reduceSum(x, { keepdims: false });
    expect(() => gradients(loss, [p])).toThrow(`gradients: ${loss.name} does not depend on p`);
    const [dp] = gradients(loss, [p], { unconnected: 'zeros' });
    expect(dp.shape).toEqual([3]);
    const [erf] = g.addNode('Erf', [x], {}, [{ dtype: 'float32', shape: [2, 3] }]);
    expect(() => gradients(op.reduceSum(erf, { keepdims: false }), [x])).toThrow(
      "gradients: no gradient rule for op 'Erf'",
    );
  });

  it('cuts the gradient at integer and boolean values', async () => {
    const g = new Graph();
    const x = g.input('x', 'float64', [3]);
    // The mask depends on x but is bool: only the Mul path carries gradient.
    const y = op.reduceSum(op.mul(op.cast(op.greater(x, 0), 'float64'), x), { keepdims: false });
    const [dx] = gradients(y, [x]);
    g.output(dx, 'dx');
    const r = await run(g, { x: Float64Array.from([-1, 2, 3]) }, { x: [3] });
    expect(r.dx).toEqual([0, 1, 1]);
  });
});

describe('gradient accumulation of a tensor read slice by slice', () => {
  it('joins disjoint slice gradients with one Concat instead of summing padded copies, and stays exact', async () => {
    const g = new Graph();
    const x = g.input('x', 'float64', [2, 5]);
    const w = g.input('w', 'float64', [2, 5]);
    // Columns 0, 1-2 and 4 are read (column 3 is not), column 0 twice.
    const parts = [
      op.slice(x, { starts: [0], ends: [1], axes: [1] }),
      op.slice(x, { starts: [1], ends: [3], axes: [1] }),
      op.slice(x, { starts: [4], ends: [5], axes: [1] }),
    ];
    const y = op.add(
      op.reduceSum(op.mul(op.concat(parts, 1), op.slice(w, { starts: [0], ends: [4], axes: [1] })), {
        keepdims: false,
      }),
      op.reduceSum(op.mul(parts[0], 3), { keepdims: false }),
    );
    const [dx] = gradients(y, [x]);
    g.output(dx, 'dx');
    const ops = (decodeModel(g.toBytes()) as { graph: { node: { opType: string }[] } }).graph.node.map(
      (n) => n.opType,
    );
    expect(ops).not.toContain('Pad');
    expect(ops.filter((o) => o === 'Concat').length).toBe(1); // the gradient join (the forward Concat is dead)
    const wv = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const r = await run(g, { x: new Float64Array(10), w: wv }, { x: [2, 5], w: [2, 5] });
    expect(r.dx).toEqual([4, 2, 3, 0, 4, 9, 7, 8, 0, 9]);
  });
});
