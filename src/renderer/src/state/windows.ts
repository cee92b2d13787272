import type { Backend, EventWindow } from '../../../shared/contract.ts';
import type { StepAxis } from './steps.ts';

/** A chunk spans at most this many steps… */
export const CHUNK_STEPS = 256;
/** …and at most this many events (unless one step alone holds more). */
export const CHUNK_EVENTS = 20_000;
/** …and at most this long from its first step's start to its last step's end (events.range's bound). */
export const CHUNK_SPAN_MS = 366 * 86_400_000;
/** Chunks kept in memory: the current one, the one before (the tooltip's recent steps) and a few more. */
export const CHUNKS_KEPT = 8;

/** The events of the steps [fromStep, toStep) as typed columns, with each step's first event. */
export interface EventChunk {
  index: number;
  fromStep: number;
  toStep: number;
  /** offsets[s - fromStep] is the first event of step s; toStep − fromStep + 1 entries. */
  offsets: Int32Array;
  lat: Float64Array;
  lon: Float64Array;
  type: Uint8Array;
  utcMs: Float64Array;
}

/**
 * Cuts the timeline into chunks of whole steps, each of at most CHUNK_STEPS steps, CHUNK_EVENTS events
 * and (given the axis) CHUNK_SPAN_MS: returns each chunk's first step, then the number of steps
 * (chunks + 1 entries).
 */
export function chunkBounds(
  counts: ArrayLike<number>,
  axis?: Pick<StepAxis, 'starts' | 'endMs'>,
): Int32Array {
  const bounds: number[] = [0];
  let steps = 0;
  let events = 0;
  for (let s = 0; s < counts.length; s++) {
    const tooLong =
      axis !== undefined && axis.endMs(s) - axis.starts[bounds[bounds.length - 1]] > CHUNK_SPAN_MS;
    if (steps > 0 && (steps >= CHUNK_STEPS || events + counts[s] > CHUNK_EVENTS || tooLong)) {
      bounds.push(s);
      steps = 0;
      events = 0;
    }
    steps++;
    events += counts[s];
  }
  if (counts.length > 0) bounds.push(counts.length);
  return Int32Array.from(bounds);
}

/** The chunk that holds a step (binary search over chunkBounds' output). */
export function chunkOf(bounds: Int32Array, step: number): number {
  let lo = 0;
  let hi = bounds.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (bounds[mid] <= step) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** A window's events placed in their steps (events arrive sorted by instant). */
export function toChunk(
  axis: StepAxis,
  index: number,
  fromStep: number,
  toStep: number,
  w: EventWindow,
): EventChunk {
  const n = w.utcMs.length;
  const offsets = new Int32Array(toStep - fromStep + 1);
  let j = 0;
  for (let s = fromStep; s < toStep; s++) {
    offsets[s - fromStep] = j;
    const end = axis.endMs(s);
    while (j < n && w.utcMs[j] < end) j++;
  }
  offsets[toStep - fromStep] = j;
  return {
    index,
    fromStep,
    toStep,
    offsets,
    lat: Float64Array.from(w.lat),
    lon: Float64Array.from(w.lon),
    type: Uint8Array.from(w.type),
    utcMs: Float64Array.from(w.utcMs),
  };
}

/**
 * The events the map shows, fetched by chunk of steps as the scrubber moves and kept for a few chunks
 * (least recently used out): memory follows the steps on screen, not the length of the history.
 */
export class EventWindows {
  readonly bounds: Int32Array;
  private readonly chunks = new Map<number, EventChunk>();
  private readonly pending = new Map<number, Promise<EventChunk>>();

  constructor(
    private readonly backend: Backend,
    readonly dataset: string,
    readonly axis: StepAxis,
    counts: ArrayLike<number>,
  ) {
    this.bounds = chunkBounds(counts, axis);
  }

  chunkOf(step: number): number {
    return chunkOf(this.bounds, step);
  }

  /** The loaded chunk, or undefined (marks it recently used). */
  get(index: number): EventChunk | undefined {
    const c = this.chunks.get(index);
    if (c) {
      this.chunks.delete(index);
      this.chunks.set(index, c);
    }
    return c;
  }

  has(index: number): boolean {
    return this.chunks.has(index);
  }

  get chunkCount(): number {
    return this.bounds.length - 1;
  }

  /** Fetches a chunk once (concurrent asks share the request). */
  load(index: number): Promise<EventChunk> {
    const hit = this.chunks.get(index);
    if (hit) return Promise.resolve(hit);
    const inFlight = this.pending.get(index);
    if (inFlight) return inFlight;
    const fromStep = this.bounds[index];
    const toStep = this.bounds[index + 1];
    const fromMs = this.axis.starts[fromStep];
    const toMs = this.axis.endMs(toStep - 1);
    const p = this.backend
      .invoke('events.range', { dataset: this.dataset, fromMs, toMs })
      .then((r) => {
        if (!r.ok) throw new Error(r.error);
        const c = toChunk(this.axis, index, fromStep, toStep, r.value);
        this.chunks.set(index, c);
        while (this.chunks.size > CHUNKS_KEPT) this.chunks.delete(this.chunks.keys().next().value!);
        return c;
      })
      .finally(() => this.pending.delete(index));
    this.pending.set(index, p);
    return p;
  }

  /** The chunks the steps [from, to] need. */
  chunksFor(from: number, to: number): number[] {
    const out: number[] = [];
    for (let c = this.chunkOf(Math.max(0, from)); c <= this.chunkOf(to); c++) out.push(c);
    return out;
  }

  /** A step's events as [chunk, first, end) when its chunk is loaded. */
  stepSlice(step: number): { chunk: EventChunk; from: number; to: number } | null {
    const chunk = this.get(this.chunkOf(step));
    if (!chunk || step < chunk.fromStep || step >= chunk.toStep) return null;
    const k = step - chunk.fromStep;
    return { chunk, from: chunk.offsets[k], to: chunk.offsets[k + 1] };
  }
}
