import { DataError } from '../util/errors.ts';

/**
 * A zipped Shapefile as one GeoJSON FeatureCollection in WGS84, read by shpjs (which reprojects by the
 * .prj with proj4). A zip holding several shapefiles must hold one: a layer is one kind of feature.
 */
export async function shapefileToGeoJson(bytes: Buffer, where: string): Promise<unknown> {
  const { parseZip } = await import('shpjs');
  let out;
  try {
    out = await parseZip(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    const msg = (e as Error).message;
    throw new DataError(
      /no layers found/.test(msg)
        ? 'the zip holds no Shapefile (.shp with its .dbf) and no GeoJSON'
        : `cannot read the zipped Shapefile: ${msg.split('\n')[0]}`,
      { file: where },
    );
  }
  if (Array.isArray(out)) {
    throw new DataError(
      `the zip holds ${out.length} layers (${out.map((l) => l.fileName ?? '?').join(', ')}); import one Shapefile per layer`,
      { file: where },
    );
  }
  return out;
}
