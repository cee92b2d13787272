/** Test helpers for map layers (unit and browser tests). */

/** Four quadrants over Oakland's events, named like beats, as GeoJSON text. */
export function oaklandBeats(): string {
  // A little wider than Oakland's events (37.7308..37.8477 N, 122.3264..122.1398 W), so every cell centre falls in a beat.
  const [s, n, w, e] = [37.72, 37.86, -122.34, -122.13];
  const ms = (s + n) / 2;
  const mw = (w + e) / 2;
  const box = (name: string, b: [number, number, number, number]) => ({
    type: 'Feature',
    properties: { BEAT: name, POP: 1 },
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [b[2], b[1]],
          [b[3], b[1]],
          [b[3], b[0]],
          [b[2], b[0]],
          [b[2], b[1]],
        ],
      ],
    },
  });
  return JSON.stringify({
    type: 'FeatureCollection',
    features: [
      box('Beat 1X', [ms, n, w, mw]),
      box('Beat 2X', [ms, n, mw, e]),
      box('Beat 3Y', [s, ms, w, mw]),
      box('Beat 4Y', [s, ms, mw, e]),
    ],
  });
}
