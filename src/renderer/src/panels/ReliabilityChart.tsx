import type { LeaderboardRow } from '../../../shared/contract.ts';

/** The chart's probability range, on log axes: 1 in 10,000 to certainty. */
const P_MIN = 1e-4;
const SIZE = 240;
const PAD = { left: 40, right: 18, top: 8, bottom: 34 };

/** Position of a probability on a log axis of `length` pixels (clamped to the range; 0 at P_MIN). */
export function logPosition(p: number, length: number): number {
  const v = Math.log10(Math.min(1, Math.max(P_MIN, p)));
  return ((v - Math.log10(P_MIN)) / -Math.log10(P_MIN)) * length;
}

const pct = (p: number) => `${(100 * p).toFixed(p < 0.01 ? 2 : 1)} %`;
const tick = (p: number) => `${+(100 * p).toPrecision(3)} %`;

/**
 * How sure each model is, and how right: its reliability diagram (mean forecast p(≥ 1) of each tenth of
 * the study cell-steps against the share of them that had a detection; on the diagonal, a forecast of
 * 10 % comes true one time in ten), on log axes, with the top tenth in words.
 */
export function ReliabilityChart({ models, colors }: { models: LeaderboardRow[]; colors: string[] }) {
  const shown = models
    .map((m, i) => ({ m, color: colors[i % colors.length] }))
    .filter((x) => x.m.reliability);
  if (shown.length === 0) return null;
  const w = SIZE - PAD.left - PAD.right;
  const h = SIZE - PAD.top - PAD.bottom;
  const x = (p: number) => PAD.left + logPosition(p, w);
  const y = (p: number) => PAD.top + h - logPosition(p, h);
  const ticks = [1e-4, 1e-3, 1e-2, 1e-1, 1];
  return (
    <div data-testid="reliability">
      <svg
        width={SIZE}
        height={SIZE}
        role="img"
        aria-label="Reliability: forecast probability of a detection against how often one came"
      >
        {ticks.map((t) => (
          <g key={t} stroke="#dde" strokeWidth={1}>
            <line x1={x(t)} x2={x(t)} y1={PAD.top} y2={PAD.top + h} />
            <line x1={PAD.left} x2={PAD.left + w} y1={y(t)} y2={y(t)} />
          </g>
        ))}
        {ticks.map((t) => (
          <g key={`l${t}`} fontSize={9} fill="#555">
            <text x={x(t)} y={PAD.top + h + 11} textAnchor="middle">
              {tick(t)}
            </text>
            <text x={PAD.left - 3} y={y(t) + 3} textAnchor="end">
              {tick(t)}
            </text>
          </g>
        ))}
        <text x={PAD.left + w / 2} y={SIZE - 6} fontSize={10} textAnchor="middle" fill="#333">
          forecast chance of a detection
        </text>
        <text
          x={10}
          y={PAD.top + h / 2}
          fontSize={10}
          textAnchor="middle"
          fill="#333"
          transform={`rotate(-90 10 ${PAD.top + h / 2})`}
        >
          share that had one
        </text>
        <line
          x1={x(P_MIN)}
          y1={y(P_MIN)}
          x2={x(1)}
          y2={y(1)}
          stroke="#888"
          strokeDasharray="4 3"
          data-testid="reliability-diagonal"
        />
        {shown.map(({ m, color }) => (
          <g key={m.name} data-model={m.name} stroke={color} fill={color}>
            <polyline
              fill="none"
              strokeWidth={1.5}
              points={m.reliability!.map((b) => `${x(b.meanP)},${y(b.observed)}`).join(' ')}
            />
            {m.reliability!.map((b, k) => (
              <circle key={k} cx={x(b.meanP)} cy={y(b.observed)} r={2.5}>
                <title>
                  {m.name}: forecast {pct(b.meanP)}, came {pct(b.observed)} ({b.cellSteps.toLocaleString()}{' '}
                  cell-steps)
                </title>
              </circle>
            ))}
          </g>
        ))}
      </svg>
      <ul className="muted reliability-top" data-testid="reliability-top">
        {shown.map(({ m, color }) => {
          const top = m.reliability!.at(-1)!;
          return (
            <li key={m.name}>
              <span style={{ color }}>■</span> {m.name}: its most likely tenth of cell-steps, forecast{' '}
              {pct(top.meanP)}, had a detection {pct(top.observed)} of the time
            </li>
          );
        })}
      </ul>
    </div>
  );
}
