import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { markInput } from '../perf.ts';
import { BIG_JUMP, binCounts, type StepAxis } from '../state/steps.ts';

interface Props {
  steps: StepAxis;
  counts: number[];
  index: number;
  playing: boolean;
  onChange(index: number): void;
  onTogglePlay(): void;
}

function typicalMax(counts: number[]): number {
  const sorted = counts.filter((c) => c > 0).sort((a, b) => a - b);
  if (sorted.length === 0) return 1;
  return Math.max(1, sorted[Math.floor(sorted.length * 0.99)] * 1.15);
}

/** Events-per-step histogram (uPlot bars) over a scrubber; drag, click, arrow keys or play. */
export function Timeline({ steps, counts, index, playing, onChange, onTogglePlay }: Props) {
  const chartDiv = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const el = chartDiv.current;
    if (!el || steps.length === 0) return;
    const { per, xs, ys } = binCounts(counts);
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: 70,
      legend: { show: false },
      cursor: { show: false },
      padding: [4, 0, 0, 0],
      scales: {
        x: { time: false, range: [-0.5, steps.length - 0.5] },
        // New Year and the Fourth of July dwarf every other day; cap the axis so ordinary days stay visible.
        y: { range: [0, typicalMax(ys)] },
      },
      axes: [{ show: false }, { show: false }],
      series: [
        {},
        {
          label: 'events',
          fill: 'rgba(60, 90, 150, 0.75)',
          stroke: 'rgba(60, 90, 150, 1)',
          paths: uPlot.paths.bars!({ size: [per === 1 ? 1 : 0.9, Infinity], gap: 0 }),
          points: { show: false },
        },
      ],
    };
    const u = new uPlot(opts, [xs, ys], el);
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height: 70 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [steps, counts]);

  // Arrow keys scrub from anywhere except text fields; the range input handles its own keys.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) return;
      if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
        e.preventDefault();
        markInput(e.timeStamp);
        // Shift jumps about a day of hours, a week of days.
        const by = e.shiftKey ? BIG_JUMP[steps.unit] : 1;
        onChange(Math.max(0, Math.min(steps.length - 1, index + (e.key === 'ArrowRight' ? by : -by))));
      } else if (e.key === ' ') {
        e.preventDefault();
        onTogglePlay();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [index, steps, onChange, onTogglePlay]);

  const pct = steps.length > 1 ? (index / (steps.length - 1)) * 100 : 0;
  return (
    <div className="timeline" data-testid="timeline" data-unit={steps.unit}>
      <div className="timeline-controls">
        <button
          type="button"
          onClick={onTogglePlay}
          data-testid="play"
          aria-label={playing ? 'pause' : 'play'}
        >
          {playing ? '❚❚' : '▶'}
        </button>
        <span className="timeline-label" data-testid="step-label" title={steps.iso(index)}>
          {steps.label(index) || '—'} <small>({counts[index] ?? 0} events)</small>
        </span>
      </div>
      <div className="timeline-track">
        <div ref={chartDiv} className="timeline-chart" />
        <div className="timeline-cursor" style={{ left: `${pct}%` }} />
        <input
          type="range"
          min={0}
          max={Math.max(0, steps.length - 1)}
          value={index}
          aria-label="time step"
          data-testid="scrubber"
          onInput={(e) => {
            markInput(e.timeStamp);
            onChange(Number((e.target as HTMLInputElement).value));
          }}
          onChange={() => undefined}
          onKeyDown={(e) => markInput(e.timeStamp)}
        />
      </div>
      <div className="timeline-ends">
        <span>{steps.date(0)}</span>
        <span>{steps.date(steps.length - 1)}</span>
      </div>
    </div>
  );
}
