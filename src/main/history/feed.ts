import { MODEL_TYPES } from '../../shared/types.ts';
import { nextStepStart } from '../grid/time.ts';
import type { CountTensor } from '../grid/types.ts';
import type { HistoryView } from '../forecast/types.ts';

/**
 * Reveals a count tensor one step at a time. Forecasters get views of a separate buffer into which
 * only the revealed steps have been copied, so a view handed out for step t cannot reach step t or
 * later: the data is not in its buffer yet.
 */
export class HistoryFeed {
  private readonly visible: Float32Array;
  private readonly visibleTotal: Float32Array;
  private readonly visibleExcluded: Uint8Array;
  private revealed = 0;
  private readonly stride: number;
  private readonly cells: number;
  private readonly extraStarts: number[] = [];

  constructor(
    private readonly tensor: CountTensor,
    private readonly studyMask: Uint8Array,
    private readonly opts: { holidays?: readonly string[] } = {},
  ) {
    this.cells = tensor.grid.rows * tensor.grid.cols;
    this.stride = tensor.types.length * this.cells;
    this.visible = new Float32Array(tensor.data.length);
    this.visibleTotal = new Float32Array(tensor.timeline.steps * this.cells);
    this.visibleExcluded = new Uint8Array(tensor.timeline.steps);
  }

  get steps(): number {
    return this.tensor.timeline.steps;
  }

  /** Copies steps up to (not including) `upTo` into the visible buffer. */
  reveal(upTo: number): void {
    const end = Math.min(upTo, this.steps);
    if (end <= this.revealed) return;
    const { data, excluded } = this.tensor;
    this.visible.set(
      data.subarray(this.revealed * this.stride, end * this.stride),
      this.revealed * this.stride,
    );
    // The total counts every event, typed or not (an `unknown` event is in no type channel).
    this.visibleTotal.set(
      this.tensor.total.subarray(this.revealed * this.cells, end * this.cells),
      this.revealed * this.cells,
    );
    this.visibleExcluded.set(excluded.subarray(this.revealed, end), this.revealed);
    this.revealed = end;
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
      counts: this.visible.subarray(from * this.stride, t * this.stride),
      total: this.visibleTotal.subarray(from * this.cells, t * this.cells),
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
