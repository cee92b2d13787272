/**
 * Text into the use cases' typed arguments, for the doors that read text (the CLI's options): a
 * bounding box, a GeoJSON file, a step unit, a model list, a tuning space. Each throws a UsageError
 * naming what it could not read. The use cases themselves never parse.
 */
export { parseBBox } from '../grid/spec.ts';
export { readGeoJson } from '../grid/geojson.ts';
export { parseStepUnit } from '../grid/time.ts';
export { parseModelList, parseModelSpec } from '../forecast/registry.ts';
export { parseSpace } from '../hyperopt/space.ts';
export { MAX_UNITS } from '../briefing/types.ts';
export type { GeoJsonLike, GridOptions, StepSpec } from '../grid/types.ts';

export { parseHolidayList } from '../forecast/holidays.ts';
