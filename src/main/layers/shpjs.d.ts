declare module 'shpjs' {
  /** Reads a zipped Shapefile (every .shp with its .dbf, .prj and .cpg), reprojected to WGS84 by its .prj. */
  export function parseZip(
    buffer: ArrayBuffer | Uint8Array,
    whiteList?: string[],
  ): Promise<GeoJsonCollection | GeoJsonCollection[]>;
  export interface GeoJsonCollection {
    type: 'FeatureCollection';
    features: { type: 'Feature'; geometry: unknown; properties: Record<string, unknown> }[];
    fileName?: string;
  }
}
