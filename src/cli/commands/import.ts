import type { Command } from '../command.ts';
import { withWorkstation } from '../../main/app/context.ts';
import { importData, REJECT_REASONS, type ImportOptions, type ImportReport } from '../../main/app/import.ts';
import { UsageError } from '../../main/util/errors.ts';
import { optionalString, requireString } from '../options.ts';

export const importCommand: Command = {
  name: 'import',
  summary: 'import ShotSpotter alert files (CSV or XLSX) into a dataset',
  usage:
    'shotcast import <file…> --db PATH [--dataset NAME] [--city NAME] [--tz ZONE] [--format F] [--map field=column …] [--json]',
  options: {
    db: { type: 'string' },
    dataset: { type: 'string' },
    city: { type: 'string' },
    tz: { type: 'string' },
    format: { type: 'string' },
    map: { type: 'string', multiple: true },
  },
  allowPositionals: true,
  async run(ctx) {
    const dbPath = requireString(ctx.values, 'db');
    if (ctx.positionals.length === 0) throw new UsageError('name at least one file to import');
    const opts: ImportOptions = {
      dataset: optionalString(ctx.values, 'dataset'),
      city: optionalString(ctx.values, 'city'),
      tz: optionalString(ctx.values, 'tz'),
      format: optionalString(ctx.values, 'format'),
      map: parseMap(ctx.values.map),
    };
    // Several files are imported all-or-nothing: one transaction, a savepoint per file.
    const reports = await withWorkstation(dbPath, (ws) =>
      importData(ws, { files: ctx.positionals, ...opts }, { progress: ctx.progress }),
    );
    for (const r of reports) for (const line of summary(r)) ctx.log(line);
    return reports.length === 1 ? reports[0] : combine(reports);
  },
};

function parseMap(v: string | boolean | string[] | undefined): Record<string, string> | undefined {
  if (v === undefined || typeof v === 'boolean') return undefined;
  const map: Record<string, string> = {};
  for (const item of Array.isArray(v) ? v : [v]) {
    const eq = item.indexOf('=');
    if (eq <= 0 || eq === item.length - 1) {
      throw new UsageError(`--map wants field=column (e.g. --map lat=Y), got '${item}'`);
    }
    map[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  return map;
}

function summary(r: ImportReport): string[] {
  if (r.alreadyImported) {
    return [`${r.file}: already imported into '${r.dataset}' (same sha256); nothing added`];
  }
  const lines = [
    `${r.file} → dataset '${r.dataset}' (${r.format}, ${r.city}, ${r.tz})`,
    `  ${r.rows.toLocaleString('en-US')} rows: ${r.imported.toLocaleString('en-US')} imported (${r.duplicates.toLocaleString('en-US')} duplicates flagged), ${r.rejected.toLocaleString('en-US')} rejected${r.skippedExisting ? `, ${r.skippedExisting.toLocaleString('en-US')} already in the dataset` : ''}`,
    `  types: single ${r.byType.single}, multiple ${r.byType.multiple}, gunshot_or_firecracker ${r.byType.gunshot_or_firecracker}, unknown ${r.byType.unknown}`,
    `  local time ${r.from ?? '-'} .. ${r.to ?? '-'}`,
  ];
  for (const [reason, n] of Object.entries(r.rejectsByReason)) {
    lines.push(`  rejected ${n} × ${reason}: ${REJECT_REASONS[reason as keyof typeof REJECT_REASONS] ?? ''}`);
  }
  if (r.dstGapShifted || r.dstFoldEarlier) {
    lines.push(
      `  daylight saving: ${r.dstGapShifted} times in a spring-forward gap shifted forward, ${r.dstFoldEarlier} times in an autumn fold read as the earlier instant`,
    );
  }
  lines.push(`  ${r.seconds.toFixed(1)} s`);
  return lines;
}

/** Several files: the same fields, summed, plus the per-file reports. */
function combine(reports: ImportReport[]): Record<string, unknown> {
  const sum = (k: 'rows' | 'imported' | 'duplicates' | 'rejected' | 'skippedExisting') =>
    reports.reduce((a, r) => a + r[k], 0);
  const rejectsByReason: Record<string, number> = {};
  const byType = { single: 0, multiple: 0, gunshot_or_firecracker: 0, unknown: 0 };
  for (const r of reports) {
    for (const [k, n] of Object.entries(r.rejectsByReason))
      rejectsByReason[k] = (rejectsByReason[k] ?? 0) + n;
    for (const k of Object.keys(byType) as (keyof typeof byType)[]) byType[k] += r.byType[k];
  }
  const froms = reports.map((r) => r.from).filter((x): x is string => x !== null);
  const tos = reports.map((r) => r.to).filter((x): x is string => x !== null);
  const datasets = [...new Set(reports.map((r) => r.dataset))];
  return {
    dataset: datasets.join(','),
    rows: sum('rows'),
    imported: sum('imported'),
    duplicates: sum('duplicates'),
    rejected: sum('rejected'),
    rejectsByReason,
    byType,
    // ISO local strings of one zone compare correctly as text; across zones they are only indicative.
    from: froms.length ? froms.reduce((a, b) => (b < a ? b : a)) : null,
    to: tos.length ? tos.reduce((a, b) => (b > a ? b : a)) : null,
    skippedExisting: sum('skippedExisting'),
    files: reports,
  };
}
