/**
 * The `export` use case: the briefing's forecast grid and patrol areas as GeoJSON or CSV layers (for
 * ArcGIS / QGIS), from the same forecast the briefing uses. The door writes the texts where it likes.
 */
import { areasCsv, gridCsv, toGeoJson } from '../briefing/export.ts';
import type { BriefingMap, BriefingReport } from '../briefing/types.ts';
import { prepareBriefing, type BriefRequest } from './brief.ts';
import type { JobHooks, Workstation } from './context.ts';

export interface ExportLayers {
  report: BriefingReport;
  map: BriefingMap;
  /** One text (both layers) when `single`, else the grid then the patrol areas, each with its file name. */
  layers: { name: string; text: string }[];
}

export async function exportLayers(
  ws: Workstation,
  req: BriefRequest,
  out: { format: 'geojson' | 'csv'; single: boolean },
  hooks: JobHooks = {},
): Promise<ExportLayers> {
  const { report, map } = await prepareBriefing(ws, req, hooks);
  const json = (layer: 'grid' | 'areas' | 'both') => JSON.stringify(toGeoJson(report, map, layer)) + '\n';
  const layers = out.single
    ? // One file: GeoJSON holds both layers (property `layer`); CSV is the grid with a patrol_area column.
      [{ name: '', text: out.format === 'csv' ? gridCsv(report, map) : json('both') }]
    : out.format === 'csv'
      ? [
          { name: 'forecast-grid.csv', text: gridCsv(report, map) },
          { name: 'patrol-areas.csv', text: areasCsv(report) },
        ]
      : [
          { name: 'forecast-grid.geojson', text: json('grid') },
          { name: 'patrol-areas.geojson', text: json('areas') },
        ];
  return { report, map, layers };
}
