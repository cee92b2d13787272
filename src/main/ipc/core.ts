/**
 * The core functions the handlers call, loaded lazily. Some land in parallel with the workstation; until
 * a module exists its channel answers with a one-line "not available yet" error instead of failing the
 * whole app at start-up. The types restate the documented signatures so the handlers stay checked.
 */
import type { WritableDb } from '../db/connection.ts';
import type { ProgressFn } from '../../shared/types.ts';
import type { ImportReport } from '../../shared/contract.ts';

export interface ImportModule {
  importFile(
    db: WritableDb,
    file: string,
    opts: { dataset: string; city: string; tz: string; format?: string; map?: Record<string, string> },
    progress?: ProgressFn,
  ): Promise<ImportReport> | ImportReport;
}

export interface RejectsModule {
  listRejects(db: WritableDb, dataset: string, page: { limit: number; offset: number }): unknown;
}

const MODULES = {
  ingest: '../ingest/import.ts',
  rejects: '../db/queries/rejects.ts',
} as const;

export class NotAvailableError extends Error {
  override name = 'NotAvailableError';
}

async function load<T>(key: keyof typeof MODULES, what: string): Promise<T> {
  try {
    return (await import(/* @vite-ignore */ new URL(MODULES[key], import.meta.url).href)) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND')
      throw new NotAvailableError(`${what} is not available yet in this build`);
    throw e;
  }
}

export const loadIngest = (): Promise<ImportModule> => load<ImportModule>('ingest', 'import');
export const loadRejects = (): Promise<RejectsModule> => load<RejectsModule>('rejects', 'the reject report');
