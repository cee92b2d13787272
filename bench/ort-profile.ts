/**
 * Summarises an onnxruntime profile (the Chrome-trace JSON a session writes when profiling is on) for
 * the last run it recorded: kernel time by op type, the share of the run it covers, and the slowest
 * nodes with their shapes. bench:train --profile prints it, so "where does the step's time go" has
 * one reproducible answer.
 */
import { readFileSync } from 'node:fs';

interface TraceEvent {
  cat?: string;
  name: string;
  ts: number;
  dur: number;
  args?: {
    op_name?: string;
    input_type_shape?: Record<string, number[]>[];
    output_type_shape?: Record<string, number[]>[];
  };
}

export interface OrtProfileSummary {
  runMs: number;
  kernelMs: number;
  byOp: Record<string, number>;
  top: { node: string; op: string; ms: number; inputs: string; outputs: string }[];
}

const shapes = (s: Record<string, number[]>[] | undefined): string =>
  (s ?? []).map((t) => `[${Object.values(t)[0]?.join(',') ?? ''}]`).join(' ');
const ms = (us: number): number => Math.round(us / 100) / 10;

export function summariseOrtProfile(file: string, topN = 12): OrtProfileSummary {
  const events = JSON.parse(readFileSync(file, 'utf8')) as TraceEvent[];
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run');
  const last = runs[runs.length - 1];
  if (!last) throw new Error(`${file}: no model_run in the profile`);
  const nodes = events.filter(
    (e) =>
      e.cat === 'Node' &&
      e.name.endsWith('_kernel_time') &&
      e.ts >= last.ts &&
      e.ts + e.dur <= last.ts + last.dur,
  );
  const byOp: Record<string, number> = {};
  let kernel = 0;
  for (const e of nodes) {
    const op = e.args?.op_name ?? '?';
    byOp[op] = (byOp[op] ?? 0) + e.dur;
    kernel += e.dur;
  }
  const sorted = Object.entries(byOp).sort((a, b) => b[1] - a[1]);
  return {
    runMs: ms(last.dur),
    kernelMs: ms(kernel),
    byOp: Object.fromEntries(sorted.map(([k, v]) => [k, ms(v)])),
    top: [...nodes]
      .sort((a, b) => b.dur - a.dur)
      .slice(0, topN)
      .map((e) => ({
        node: e.name.replace(/_kernel_time$/, ''),
        op: e.args?.op_name ?? '?',
        ms: ms(e.dur),
        inputs: shapes(e.args?.input_type_shape),
        outputs: shapes(e.args?.output_type_shape),
      })),
  };
}
