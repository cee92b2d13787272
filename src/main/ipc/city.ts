import { join } from 'node:path';
import { deleteMapLayer, importMapLayer, mapLayers, mapLayerText, placesAt, preview } from '../app/index.ts';
import type { ReadonlyDb, WritableDb } from '../app/context.ts';
import type { HandlerMap } from './registry.ts';
import { withFile, type UploadStore } from './staged.ts';

/** Import preview and the dataset's map layers. */
export function cityHandlers(ctx: {
  db: WritableDb;
  reader?: ReadonlyDb;
  resourcesDir: string;
  uploads?: UploadStore;
}): Partial<HandlerMap> {
  const geoDir = geoDirOf(ctx);
  const reader = ctx.reader ?? ctx.db;
  return {
    // The upload is kept: the import that follows a preview reads the same file.
    'datasets.preview': (req) =>
      withFile(
        ctx.uploads,
        req,
        (file) =>
          preview(file, {
            ...(req.format === 'auto' ? {} : { format: req.format }),
            map: req.map,
            displayName: req.fileName,
          }),
        { keepUpload: true },
      ),
    'layers.info': ({ dataset }) => mapLayers(reader, dataset, geoDir),
    'layers.get': ({ dataset, kind }) => mapLayerText(reader, dataset, kind, geoDir),
    'layers.import': (req) =>
      withFile(ctx.uploads, req, (file) =>
        importMapLayer(ctx.db, req.dataset, file, {
          kind: req.kind,
          nameField: req.nameField,
          displayName: req.fileName,
        }),
      ),
    'layers.places': ({ dataset, points }) => placesAt(reader, dataset, points, geoDir),
    'layers.delete': async ({ dataset, kind }) => ({ deleted: await deleteMapLayer(ctx.db, dataset, kind) }),
  };
}

/** The packaged app's own copy of the geo layers (the built-in DC set), not the repository's. */
export function geoDirOf(ctx: { resourcesDir: string }): string {
  return join(ctx.resourcesDir, 'geo');
}
