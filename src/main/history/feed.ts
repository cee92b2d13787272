import { MODEL_TYPES } from '../../shared/types.ts';
import { nextStepStart } from '../grid/time.ts';
import type { CountTensor } from '../grid/types.ts';
import type { HistoryView } from '../forecast/types.ts';
import { StepEvents, type EventStore } from './events.ts';

/**
 * Reveals a history one step at a time. Forecasters get views of a separate store into which only
 * the revealed steps' events have been copied, so a view handed out for step t cannot reach step t
 * or later: the data is not in its store yet (and every accessor checks its steps). The copy is
 * sparse: O(events), never O(steps × cells).
 */
export class HistoryFeed {
  private readonly visible: EventStore;
  private readonly visibleExcluded: Uint8Array;
  private revealed = 0;
  private readonly extraStarts: number[] = [];

  constructor(
    private readonly tensor: CountTensor,
    private readonly studyMask: Uint8Array,
    private readonly opts: { holidays?: readonly string[] } = {},
  ) {
    const s = tensor.store;
    this.visible = {
      steps: 0,
      cells: s.cells,
      types: s.types,
      totalStart: new Int32Array(s.totalStart.length),
      totalCell: new Int32Array(s.totalCell.length),
      totalN: new Float32Array(s.totalN.length),
      typedStart: new Int32Array(s.typedStart.length),
      typedCell: new Int32Array(s.typedCell.length),
      typedCode: new Uint8Array(s.typedCode.length),
      typedN: new Float32Array(s.typedN.length),
    };
    this.visibleExcluded = new Uint8Array(tensor.timeline.steps);
  }

  get steps(): number {
    return this.tensor.timeline.steps;
  }

  /** Copies steps up to (not including) `upTo` into the visible store. */
  reveal(upTo: number): void {
    const end = Math.min(upTo, this.steps);
    if (end <= this.revealed) return;
    const src = this.tensor.store;
    const v = this.visible;
    const copy = (a: Int32Array | Float32Array | Uint8Array, b: typeof a, from: number, to: number) =>
      b.set(a.subarray(from, to), from);
    copy(src.totalStart, v.totalStart, this.revealed + 1, end + 1);
    copy(src.typedStart, v.typedStart, this.revealed + 1, end + 1);
    const [t0, t1] = [src.totalStart[this.revealed], src.totalStart[end]];
    copy(src.totalCell, v.totalCell, t0, t1);
    copy(src.totalN, v.totalN, t0, t1);
    const [k0, k1] = [src.typedStart[this.revealed], src.typedStart[end]];
    copy(src.typedCell, v.typedCell, k0, k1);
    copy(src.typedCode, v.typedCode, k0, k1);
    copy(src.typedN, v.typedN, k0, k1);
    this.visibleExcluded.set(this.tensor.excluded.subarray(this.revealed, end), this.revealed);
    this.revealed = end;
    v.steps = end;
  }

  /** The history before step t (window: at most this many most recent steps). Reveals up to t. */
  view(t: number, window?: number): HistoryView {
    this.reveal(t);
    const from = window !== undefined ? Math.max(0, t - window) : 0;
    const { grid, timeline } = this.tensor;
    const starts = timeline.starts;
    return {
      grid,
      step: timeline.step,
      tz: timeline.tz,
      types: MODEL_TYPES,
      steps: t - from,
      offset: from,
      events: new StepEvents(this.visible, from, t - from, this),
      excluded: this.visibleExcluded.subarray(from, t),
      stepStartMs: (i: number) => this.startOf(from + i, starts),
      studyMask: this.studyMask,
      ...(this.opts.holidays?.length ? { holidays: this.opts.holidays } : {}),
    };
  }

  /** Step starts are calendar, not data: a forecaster may ask for any future one. */
  private startOf(i: number, starts: Float64Array): number {
    if (i < 0) throw new RangeError(`step ${i} is before the timeline`);
    if (i < starts.length) return starts[i];
    const { tz, step } = this.tensor.timeline;
    while (starts.length + this.extraStarts.length <= i) {
      const last = this.extraStarts.length
        ? this.extraStarts[this.extraStarts.length - 1]
        : starts[starts.length - 1];
      this.extraStarts.push(nextStepStart(tz, step, last));
    }
    return this.extraStarts[i - starts.length];
  }
}
