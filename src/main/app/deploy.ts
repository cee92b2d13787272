/**
 * Unit deployment for a forecast on the map: the briefing's patrol areas (the same search, the same
 * place names), with each area's outline, so the Forecast panel and the map show what the briefing
 * will print.
 */
import type { DeploymentView } from '../../shared/contract.ts';
import type { ReadonlyDb } from '../db/connection.ts';
import { DEFAULT_UNITS } from '../briefing/briefing.ts';
import { deployUnits, DEFAULT_MAX_CELLS } from '../briefing/deploy.ts';
import { suggestUnits, type Volume } from '../briefing/volume.ts';
import { outline } from '../briefing/export.ts';
import type { GridSpec } from '../grid/types.ts';
import { cityLayers } from '../layers/city.ts';
import { areaPlaces } from '../layers/places.ts';

export function planDeployment(
  db: ReadonlyDb,
  dataset: string,
  field: { grid: GridSpec; risk: ArrayLike<number>; studyMask: ArrayLike<number> },
  opts: { units: number; maxCells?: number },
  geoDir?: string,
): DeploymentView {
  const { grid } = field;
  const d = deployUnits(
    { rows: grid.rows, cols: grid.cols, risk: field.risk, studyMask: field.studyMask },
    { units: opts.units, maxCells: opts.maxCells ?? DEFAULT_MAX_CELLS },
  );
  const layers = cityLayers(db, dataset, geoDir);
  return {
    units: d.units,
    maxCells: d.maxCells,
    coverage: d.coverage,
    cells: d.cells,
    topCells: d.topCells,
    upperBound: d.upperBound,
    optimal: d.optimal,
    areas: d.areas.map((a) => {
      const { centre, neighbourhood, psa, district } = areaPlaces(layers, grid, a.cells);
      return {
        rank: a.rank,
        cells: a.cells,
        risk: a.risk,
        share: a.share,
        centre,
        place: { neighbourhood, psa, district },
        ring: outline(grid, a.cells),
      };
    }),
  };
}

/**
 * How many units the forecast's volume asks for: the briefing's rule (its routine number of units
 * scaled by the expected detections over the typical ones for a step like it), so the Forecast panel
 * suggests what the briefing will.
 */
export function unitSuggestion(volume: Volume): { suggestedUnits: number; suggestionRule: string } {
  const s = suggestUnits(volume, DEFAULT_UNITS);
  return { suggestedUnits: s.units, suggestionRule: s.rule };
}
