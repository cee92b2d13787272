/** Test helper: runs an optimizer's emitted update on given gradients, step after step, through ORT. */
import { Graph } from '../onnx/graph.ts';
import { createSession, f32 } from '../runtime/session.ts';
import type { Optimizer } from './optimizer.ts';

export interface Run {
  params: Float32Array[];
  slots: Float32Array[][];
}

export async function runOptimizer(
  opt: Optimizer,
  init: Float32Array[],
  gradsPerStep: Float32Array[][],
  lr = opt.lr,
): Promise<Run> {
  const g = new Graph('opt');
  const shapes = init.map((p) => [p.length]);
  const params = shapes.map((s, i) => g.input(`p${i}`, 'float32', s));
  const grads = shapes.map((s, i) => g.input(`g${i}`, 'float32', s));
  const slots = shapes.map((s, i) => opt.slots.map((k) => g.input(`p${i}/${k}`, 'float32', s)));
  const lrIn = g.input('lr', 'float32', []);
  const step = g.input('step', 'float32', []);
  const next = opt.update(
    params.map((param, i) => ({ param, grad: grads[i], slots: slots[i] })),
    { lr: lrIn, step },
  );
  next.forEach((u, i) => {
    g.output(u.param, `next_p${i}`);
    u.slots.forEach((s, k) => g.output(s, `next_p${i}/${opt.slots[k]}`));
  });
  const session = await createSession(g.toBytes(), { threads: 1 });
  let ps: Float32Array[] = init.map((p) => Float32Array.from(p));
  let ss: Float32Array[][] = init.map((p) => opt.slots.map(() => new Float32Array(p.length)));
  for (let t = 0; t < gradsPerStep.length; t++) {
    const feeds: Record<string, ReturnType<typeof f32>> = {
      lr: f32(new Float32Array([lr]), []),
      step: f32(new Float32Array([t + 1]), []),
    };
    ps.forEach((p, i) => {
      feeds[`p${i}`] = f32(p, [p.length]);
      feeds[`g${i}`] = f32(gradsPerStep[t][i], [p.length]);
      opt.slots.forEach((k, j) => (feeds[`p${i}/${k}`] = f32(ss[i][j], [p.length])));
    });
    const out = await session.run(feeds);
    ps = ps.map((_, i) => out[`next_p${i}`].data as Float32Array);
    ss = ss.map((_, i) => opt.slots.map((k) => out[`next_p${i}/${k}`].data as Float32Array));
  }
  await session.release();
  return { params: ps, slots: ss };
}
