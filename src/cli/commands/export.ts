import { existsSync, mkdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Command } from '../command.ts';
import { withWorkstation } from '../../main/app/context.ts';
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
    // Loaded on use: the briefing and the forecasters are heavy.
    const { exportLayers } = await import('../../main/app/export.ts');
    return withWorkstation(opts.db, async (ws) => {
      const { report, map, layers } = await exportLayers(ws, opts, { format, single: isFile });
      if (!isFile) mkdirSync(out, { recursive: true });
      const files = layers.map((l) => (isFile ? out : join(out, l.name)));
      layers.forEach((l, i) => writeAtomically(files[i], l.text));
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
    });
  },
};
