/**
 * Loads the built-in DC sample into a database for briefing tests and the benchmark: through the real
 * importer when it is present, else straight into the tables with the evaluation's fixture writer (same
 * events, same duplicate rule), so briefing tests do not hinge on another module's progress.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { WritableDb } from '../../db/connection.ts';
import { insertEvents, readMpdNormalized } from '../../evaluate/testing/fixtures.ts';

export const DC_SAMPLE = fileURLToPath(
  new URL('../../../../resources/data/dc_mpd_2014-2018_normalized.csv', import.meta.url),
);

export async function loadDcSample(db: WritableDb, dataset = 'dc'): Promise<'importFile' | 'fixture'> {
  const importer = new URL('../../ingest/import.ts', import.meta.url);
  if (existsSync(fileURLToPath(importer))) {
    const mod = (await import(importer.href)) as {
      importFile?: (
        db: WritableDb,
        file: string,
        opts: Record<string, unknown>,
        progress: () => void,
      ) => Promise<unknown>;
    };
    if (mod.importFile) {
      await mod.importFile(
        db,
        DC_SAMPLE,
        { dataset, city: 'Washington DC', tz: 'America/New_York' },
        () => {},
      );
      return 'importFile';
    }
  }
  insertEvents(db, dataset, 'America/New_York', readMpdNormalized(DC_SAMPLE));
  return 'fixture';
}
