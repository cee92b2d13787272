import { describe, expect, it } from 'vitest';
import { checkGradients } from '../autodiff/check.ts';
import { Rng } from '../runtime/rng.ts';
import { Bidirectional } from './bidirectional.ts';
import { ConvLSTM2D } from './convlstm.ts';
import type { Layer } from './conv.ts';
import { Scope, type Ctx } from './model.ts';
import { conv2dRef, expectClose, runLayer } from './testing.ts';

const sig = (v: number) => 1 / (1 + Math.exp(-v));

/**
 * torch_reference.py's ConvLSTM, directly: gates = conv3x3(concat(x_t, h)) → i, f, g, o;
 * c = σ(f)c + σ(i)tanh(g); h = σ(o)tanh(c). Returns h per time index, each [N, hid, H, W].
 */
function reference(
  x: Float32Array,
  [n, c, t, h, w]: number[],
  wt: Float32Array,
  b: Float32Array,
  hid: number,
  reverse: boolean,
) {
  const hw = h * w;
  let hs = new Float64Array(n * hid * hw);
  let cs = new Float64Array(n * hid * hw);
  const out: Float64Array[] = new Array(t);
  for (let k = 0; k < t; k++) {
    const s = reverse ? t - 1 - k : k;
    const cat = new Float64Array(n * (c + hid) * hw);
    for (let bi = 0; bi < n; bi++) {
      for (let ci = 0; ci < c; ci++)
        for (let p = 0; p < hw; p++)
          cat[(bi * (c + hid) + ci) * hw + p] = x[((bi * c + ci) * t + s) * hw + p];
      for (let ci = 0; ci < hid; ci++)
        for (let p = 0; p < hw; p++) cat[(bi * (c + hid) + c + ci) * hw + p] = hs[(bi * hid + ci) * hw + p];
    }
    const gates = conv2dRef(cat, [n, c + hid, h, w], wt, [4 * hid, c + hid, 3, 3], b, [1, 1]);
    const nh = new Float64Array(n * hid * hw);
    const nc = new Float64Array(n * hid * hw);
    for (let bi = 0; bi < n; bi++)
      for (let ci = 0; ci < hid; ci++)
        for (let p = 0; p < hw; p++) {
          const gate = (q: number) => gates[(bi * 4 * hid + q * hid + ci) * hw + p];
          const idx = (bi * hid + ci) * hw + p;
          nc[idx] = sig(gate(1)) * cs[idx] + sig(gate(0)) * Math.tanh(gate(2));
          nh[idx] = sig(gate(3)) * Math.tanh(nc[idx]);
        }
    hs = nh;
    cs = nc;
    out[s] = nh;
  }
  return out;
}

/** Stacks per-step [N, hid, H, W] into [N, hid, T, H, W]. */
function stack(hs: Float64Array[], n: number, hid: number, hw: number): Float64Array {
  const t = hs.length;
  const y = new Float64Array(n * hid * t * hw);
  hs.forEach((h, s) => {
    for (let bi = 0; bi < n; bi++)
      for (let ci = 0; ci < hid; ci++)
        for (let p = 0; p < hw; p++) y[((bi * hid + ci) * t + s) * hw + p] = h[(bi * hid + ci) * hw + p];
  });
  return y;
}

describe('ConvLSTM2D', () => {
  const shape = [2, 3, 4, 5, 4];
  const [n, c, , h, w] = shape;
  const hid = 2;
  const x = new Rng(5).fill(new Float32Array(shape.reduce((a, b) => a * b)), -1, 1);

  for (const goBackwards of [false, true])
    it(`matches the PyTorch cell step by step (${goBackwards ? 'backwards' : 'forwards'}, all steps)`, async () => {
      const r = await runLayer(
        (s) => new ConvLSTM2D(s, 'l', { inChannels: c, filters: hid, goBackwards }),
        x,
        shape,
      );
      expect(r.shape).toEqual([n, hid, 4, h, w]);
      const want = reference(
        x,
        shape,
        r.weights.get('l.conv.weight')!,
        r.weights.get('l.conv.bias')!,
        hid,
        goBackwards,
      );
      expectClose(r.output, stack(want, n, hid, h * w));
    });

  it('returns only the last processed step when returnSequences is false', async () => {
    const r = await runLayer(
      (s) => new ConvLSTM2D(s, 'l', { inChannels: c, filters: hid, returnSequences: false }),
      x,
      shape,
    );
    expect(r.shape).toEqual([n, hid, h, w]);
    const want = reference(
      x,
      shape,
      r.weights.get('l.conv.weight')!,
      r.weights.get('l.conv.bias')!,
      hid,
      false,
    );
    expectClose(r.output, want[3]);
  });

  it('Bidirectional concatenates forward then backward outputs on the channel axis', async () => {
    const r = await runLayer(
      (s) =>
        new Bidirectional(
          s,
          'bi',
          (sc, name, goBackwards) => new ConvLSTM2D(sc, name, { inChannels: c, filters: hid, goBackwards }),
        ),
      x,
      shape,
    );
    expect(r.shape).toEqual([n, 2 * hid, 4, h, w]);
    const fw = stack(
      reference(x, shape, r.weights.get('bi.fw.conv.weight')!, r.weights.get('bi.fw.conv.bias')!, hid, false),
      n,
      hid,
      h * w,
    );
    const bw = stack(
      reference(x, shape, r.weights.get('bi.bw.conv.weight')!, r.weights.get('bi.bw.conv.bias')!, hid, true),
      n,
      hid,
      h * w,
    );
    const per = hid * 4 * h * w;
    const want = new Float64Array(n * 2 * per);
    for (let bi = 0; bi < n; bi++) {
      want.set(fw.subarray(bi * per, (bi + 1) * per), bi * 2 * per);
      want.set(bw.subarray(bi * per, (bi + 1) * per), bi * 2 * per + per);
    }
    expectClose(r.output, want);
  });

  // The step convolutions leave out their weight gradient and the wrapper adds it folded over all steps
  // (autodiff/custom.ts), and Bidirectional stacks both directions' input convolutions into one;
  // central differences check the layers' gradients independently of either.
  const variants: [string, (s: Scope) => Layer][] = [
    ['forwards', (s) => new ConvLSTM2D(s, 'l', { inChannels: 2, filters: 2 })],
    ['backwards', (s) => new ConvLSTM2D(s, 'l', { inChannels: 2, filters: 2, goBackwards: true })],
    [
      'Bidirectional',
      (s) =>
        new Bidirectional(
          s,
          'bi',
          (sc, name, goBackwards) => new ConvLSTM2D(sc, name, { inChannels: 2, filters: 2, goBackwards }),
        ),
    ],
  ];
  for (const [label, make] of variants)
    it(`input, weight and bias gradients match central differences (${label})`, async () => {
      const scope = new Scope();
      const layer = make(scope);
      const specs = scope.params;
      const r = await checkGradients({
        dtype: 'float32',
        inputs: [{ shape: [2, 2, 3, 4, 4] }, ...specs.map((p) => ({ shape: p.shape }))],
        build: ([xin, ...ws], g) => {
          const params = new Map(specs.map((p, i) => [p.name, ws[i]]));
          const ctx: Ctx = {
            graph: g,
            training: true,
            param: (name) => params.get(name)!,
            state: () => {
              throw new Error('no state');
            },
            updateState: () => undefined,
            noise: () => {
              throw new Error('no noise');
            },
          };
          return layer.apply(ctx, xin);
        },
        eps: 1e-2,
        atol: 2e-3,
        rtol: 2e-3,
        maxElements: 40,
      });
      expect(r.failures).toEqual([]);
      expect(r.checked).toBeGreaterThan(45 * (1 + specs.length / 2));
    });
});
