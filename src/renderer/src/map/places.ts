import { useEffect, useState } from 'react';
import type { Backend, ForecastGrid, PlaceNames } from '../../../shared/contract.ts';
import { call } from '../api/backend.ts';
import { cellCentre } from './grid.ts';

/** District and service area in words ("7D, PSA 705"); '' when the city's layers name neither. */
export function placeWords(p: PlaceNames): string {
  return [p.district !== '—' ? p.district : '', p.psa !== '—' ? `PSA ${p.psa}` : '']
    .filter(Boolean)
    .join(', ');
}

// Names already asked for, by dataset, grid and cell: hovering back over a cell asks nothing again.
const known = new Map<string, PlaceNames>();
const keyOf = (dataset: string, g: ForecastGrid, cell: number) =>
  `${dataset}|${g.bbox.join(',')}|${g.rows}x${g.cols}|${cell}`;

/** Forgets the names known so far: a layer imported or removed names places anew. */
export function forgetPlaces(): void {
  known.clear();
}

/**
 * The places of cells' centres by the dataset's map layers (`layers.places`, the briefing's names), in
 * the cells' order; null until they have come, or when they could not be had (what shows them stands
 * without them). `delayMs` waits for the cells to settle first (a hovered cell).
 */
export function usePlaces(
  backend: Backend,
  dataset: string | null,
  grid: ForecastGrid | null,
  cells: number[],
  delayMs = 0,
): PlaceNames[] | null {
  const keys = dataset && grid ? cells.map((c) => keyOf(dataset, grid, c)) : [];
  const key = keys.join(';');
  const cached = keys.length > 0 && keys.every((k) => known.has(k)) ? keys.map((k) => known.get(k)!) : null;
  const [got, setGot] = useState<{ key: string; names: PlaceNames[] | null } | null>(null);
  useEffect(() => {
    if (!key || !dataset || !grid || cached) return;
    let live = true;
    const points = cells.map((c) => {
      const [lon, lat] = cellCentre(grid, c);
      return { lat, lon };
    });
    const timer = setTimeout(() => {
      call(backend, 'layers.places', { dataset, points }).then(
        (names) => {
          if (known.size > 5000) known.clear();
          names.forEach((n, i) => known.set(keys[i], n));
          if (live) setGot({ key, names });
        },
        () => live && setGot({ key, names: null }),
      );
    }, delayMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // `cells`, `keys` and `grid` are new every render; `key` says when they change.
  }, [backend, dataset, key, delayMs, cached === null]);
  return cached ?? (got?.key === key ? got.names : null);
}
