import { existsSync, mkdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Command } from '../command.ts';
import { openDb } from '../../main/db/connection.ts';
import { UsageError } from '../../main/util/errors.ts';
import { optionalString, requireString } from '../options.ts';
import { BRIEF_OPTIONS, briefingOptionsFrom, writeAtomically } from './brief.ts';

export const exportCommand: Command = {
  name: 'export',
  summary: 'write the forecast grid and patrol areas as GeoJSON or CSV (for ArcGIS / QGIS)',
  usage:
    'shotcast export --db PATH --dataset NAME --at YYYY-MM-DD [--step shift|day] [--shift-start H] [--units N] [--max-cells M] [--model NAME] [--bbox s,w,n,e --rows R --cols C | --cell METRES] --out DIR|FILE [--format geojson|csv] [--json]',
  options: { ...BRIEF_OPTIONS, format: { type: 'string' } },
  async run(ctx) {
    const opts = briefingOptionsFrom(ctx.values);
    const out = requireString(ctx.values, 'out');
    const ext = extname(out).toLowerCase();
    const isFile =
      ['.geojson', '.json', '.csv'].includes(ext) && !(existsSync(out) && statSync(out).isDirectory());
    const format = optionalString(ctx.values, 'format') ?? (ext === '.csv' ? 'csv' : 'geojson');
    if (format !== 'geojson' && format !== 'csv')
      throw new UsageError(`--format must be geojson or csv, got '${format}'`);
    const { prepareBriefing } = await import('../../main/app/brief.ts');
    const { areasCsv, gridCsv, toGeoJson } = await import('../../main/briefing/export.ts');
    const db = openDb(opts.db);
    try {
      const { report, map } = await prepareBriefing({ db, dbPath: opts.db }, opts);
      const files: string[] = [];
      const write = (path: string, text: string): void => {
        writeAtomically(path, text);
        files.push(path);
      };
      if (isFile) {
        // One file: GeoJSON holds both layers (property `layer`); CSV is the grid with a patrol_area column.
        write(
          out,
          format === 'csv' ? gridCsv(report, map) : JSON.stringify(toGeoJson(report, map, 'both')) + '\n',
        );
      } else {
        mkdirSync(out, { recursive: true });
        if (format === 'csv') {
          write(join(out, 'forecast-grid.csv'), gridCsv(report, map));
          write(join(out, 'patrol-areas.csv'), areasCsv(report));
        } else {
          write(join(out, 'forecast-grid.geojson'), JSON.stringify(toGeoJson(report, map, 'grid')) + '\n');
          write(join(out, 'patrol-areas.geojson'), JSON.stringify(toGeoJson(report, map, 'areas')) + '\n');
        }
      }
      for (const f of files) ctx.log(`wrote ${f}`);
      return {
        files,
        format,
        dataset: report.dataset.name,
        window: report.window,
        model: report.model.spec,
        studyCells: map.studyMask.reduce((s, v) => s + v, 0),
        areas: report.areas.length,
        coverage: report.deployment.coverage,
      };
    } finally {
      db.close();
    }
  },
};
