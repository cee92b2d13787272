/** Colour scales of the map, shared by the layers and the legend. */
export type Rgba = [number, number, number, number];

// Yellow → orange → red → purple (ColorBrewer YlOrRd extended): readable over the light basemap.
const RISK_STOPS: [number, number, number][] = [
  [255, 255, 178],
  [254, 204, 92],
  [253, 141, 60],
  [240, 59, 32],
  [189, 0, 38],
  [110, 1, 107],
];

/** Colour of a risk level t in [0, 1]. */
export function riskColor(t: number, alpha = 170): Rgba {
  const x = Math.max(0, Math.min(1, t)) * (RISK_STOPS.length - 1);
  const i = Math.min(RISK_STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const a = RISK_STOPS[i];
  const b = RISK_STOPS[i + 1];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f, alpha];
}

export function riskGradientCss(): string {
  return `linear-gradient(to right, ${RISK_STOPS.map((c) => `rgb(${c.join(',')})`).join(', ')})`;
}

/** Event colours in EVENT_TYPES order: single, multiple, gunshot_or_firecracker, unknown. */
export const EVENT_COLORS: Rgba[] = [
  [31, 119, 180, 230],
  [214, 39, 40, 230],
  [148, 103, 189, 230],
  [127, 127, 127, 230],
];

export const HEATMAP_RANGE: [number, number, number][] = RISK_STOPS;
