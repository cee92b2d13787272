/**
 * One full training step of the reference architecture against PyTorch: loss, every parameter
 * gradient, every Adam-updated parameter and the BatchNorm running statistics, from the fixture
 * written by scripts/make-golden.py (PyTorch SeedNet of bench/torch_reference.py, float64).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Graph } from '../onnx/graph.ts';
import { gradients } from '../autodiff/index.ts';
import { makeCtx } from '../runtime/compile.ts';
import { Rng } from '../runtime/rng.ts';
import { createSession, f32 } from '../runtime/session.ts';
import { Trainer } from '../runtime/trainer.ts';
import { REFERENCE_INPUT, referencePreset } from './reference.ts';

interface Manifest {
  shape: { batch: number; types: number; steps: number; rows: number; cols: number };
  seed: number;
  xThreshold: number;
  yThreshold: number;
  loss: number;
  params: {
    name: string;
    shape: number[];
    weightSum: number;
    weightAbsSum: number;
    gradOffset: number;
    updatedOffset: number;
  }[];
  running: { name: string; shape: number[]; offset: number }[];
}

const dir = fileURLToPath(new URL('../../../../test/fixtures/engine/', import.meta.url));
const manifest = JSON.parse(readFileSync(`${dir}seednet-golden.json`, 'utf8')) as Manifest;
const blob = readFileSync(`${dir}seednet-golden.bin`);
const floats = new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
const numel = (s: number[]) => s.reduce((a, b) => a * b, 1);
const at = (offset: number, shape: number[]) => floats.subarray(offset, offset + numel(shape));

/** Rebuilds the fixture's weights and inputs with the same PRNG draws as make-golden.py. */
function goldenInputs() {
  const rng = new Rng(manifest.seed);
  const weights = new Map<string, Float32Array>();
  let prevFanIn = 1;
  for (const p of manifest.params) {
    const v = new Float32Array(numel(p.shape));
    if (p.name.startsWith('bn') && p.name.endsWith('weight')) rng.fill(v, 0.8, 1.2);
    else if (p.name.startsWith('bn')) rng.fill(v, -0.2, 0.2);
    else {
      const fanIn = p.shape.length > 1 ? numel(p.shape.slice(1)) : prevFanIn;
      prevFanIn = fanIn;
      const b = 1 / Math.sqrt(fanIn);
      rng.fill(v, -b, b);
    }
    weights.set(p.name, v);
  }
  const { batch: n, types, steps: t, rows: h, cols: w } = manifest.shape;
  const x = new Float32Array(n * types * t * h * w).map(() => (rng.next() < manifest.xThreshold ? 1 : 0));
  const y = new Float32Array(n * h * w).map(() => (rng.next() < manifest.yThreshold ? 1 : 0));
  return { weights, x, y };
}

/** max |a − b| / max |b|: the tensor-wide relative error. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / den;
}

describe('reference preset vs PyTorch (golden fixture)', () => {
  const { batch, types, steps, rows, cols } = manifest.shape;
  const spec = referencePreset({ batch, types, steps, rows, cols });
  const { weights, x, y } = goldenInputs();

  it('rebuilds the fixture weights bit for bit and names parameters as PyTorch does', () => {
    expect(spec.model.params.map((p) => p.name)).toEqual(manifest.params.map((p) => p.name));
    for (const p of manifest.params) {
      const v = weights.get(p.name) as Float32Array;
      let s = 0;
      let a = 0;
      for (const e of v) {
        s += e;
        a += Math.abs(e);
      }
      expect(s).toBeCloseTo(p.weightSum, 6);
      expect(a).toBeCloseTo(p.weightAbsSum, 6);
    }
  });

  it('matches the loss and every parameter gradient to 1e-4', async () => {
    const g = new Graph('golden_grads');
    const input = g.input(REFERENCE_INPUT, 'float32', [batch, types, steps, rows, cols]);
    const target = g.input('target', 'float32', [batch, 1, rows, cols]);
    const { ctx, params } = makeCtx(g, spec.model, true);
    const loss = spec.loss(spec.model.forward(ctx, { [REFERENCE_INPUT]: input }), target);
    const ps = spec.model.params.map((p) => params.get(p.name)!);
    const grads = gradients(loss, ps);
    g.output(loss, 'loss');
    grads.forEach((d, i) => g.output(d, `grad/${spec.model.params[i].name}`));
    const session = await createSession(g.toBytes());
    const feeds = { [REFERENCE_INPUT]: f32(x, input.shape), target: f32(y, target.shape) } as Record<
      string,
      ReturnType<typeof f32>
    >;
    for (const p of spec.model.params) feeds[p.name] = f32(weights.get(p.name)!, p.shape);
    for (const s of spec.model.states)
      feeds[s.name] = f32(new Float32Array(numel(s.shape)).fill(s.init), s.shape);
    const out = await session.run(feeds);
    await session.release();
    expect(Math.abs((out.loss.data as Float32Array)[0] - manifest.loss) / manifest.loss).toBeLessThan(1e-4);
    for (const p of manifest.params) {
      const err = relErr(out[`grad/${p.name}`].data as Float32Array, at(p.gradOffset, p.shape));
      expect(err, `gradient of ${p.name}`).toBeLessThan(1e-4);
    }
  });

  it('one fused train step matches the Adam-updated parameters and BN running statistics to 1e-4', async () => {
    const trainer = new Trainer({ ...spec, seed: 0 });
    trainer.setWeights(weights);
    const loss = await trainer.step({ [REFERENCE_INPUT]: x, target: y });
    expect(Math.abs(loss - manifest.loss) / manifest.loss).toBeLessThan(1e-4);
    const after = trainer.getWeights();
    let skipped = 0;
    let total = 0;
    for (const p of manifest.params) {
      const want = at(p.updatedOffset, p.shape);
      const grad = at(p.gradOffset, p.shape);
      const got = after.get(p.name)!;
      // Adam's first step moves a weight by lr·g/(|g| + 1e-8): where the true gradient is below float32
      // resolution (|g| < 1e-6·max|g|, i.e. zero to float32), that ratio is rounding noise in any float32
      // implementation, PyTorch's included. Those elements are counted, and must stay rare.
      const gmax = grad.reduce((a, b) => Math.max(a, Math.abs(b)), 0);
      const keep = [...want.keys()].filter((i) => Math.abs(grad[i]) >= 1e-6 * gmax);
      skipped += want.length - keep.length;
      total += want.length;
      const scale = want.reduce((a, b) => Math.max(a, Math.abs(b)), 0);
      const worst = keep.reduce((a, i) => Math.max(a, Math.abs(got[i] - want[i])), 0);
      expect(worst / scale, `updated ${p.name}`).toBeLessThan(1e-4);
      // The step really moved the weights (by about lr = 1e-3 each): not a pass-through.
      expect(relErr(weights.get(p.name)!, want)).toBeGreaterThan(1e-4);
    }
    expect(skipped / total).toBeLessThan(1e-3);
    for (const r of manifest.running)
      expect(relErr(after.get(r.name)!, at(r.offset, r.shape)), r.name).toBeLessThan(1e-4);
    await trainer.dispose();
  });
});
