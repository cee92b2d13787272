import type { EventStore } from '../history/events.ts';
import type { BBox, StepUnit } from '../../shared/types.ts';

/** A GeoJSON object holding Polygon or MultiPolygon geometries (a Feature, FeatureCollection or bare geometry). */
export interface GeoJsonLike {
  type: string;
  [key: string]: unknown;
}

/**
 * How to make a grid. Extent: an explicit bbox, else a boundary's bbox, else the data's bbox.
 * Size: rows × cols, or a cell size in metres (then the north-west corner stays put and the grid grows
 * south and east to a whole number of cells of exactly that size).
 */
export interface GridOptions {
  bbox?: BBox;
  /** Boundary polygon(s); gives the extent when bbox is absent, and the study area when asked for. */
  boundary?: GeoJsonLike;
  rows?: number;
  cols?: number;
  cellMeters?: number;
}

export interface GridSpec {
  /** [south, west, north, east] degrees. Cell (0,0) is the north-west corner. */
  bbox: BBox;
  rows: number;
  cols: number;
  /** [north–south, east–west] size of one cell in metres, at the grid's mid-latitude. */
  cellMeters: [number, number];
}

/** Time step. Boundaries are cut in local time of the dataset's IANA zone. */
export interface StepSpec {
  unit: StepUnit;
  /** Local hour at which the first of the three 8-hour shifts starts (unit 'shift'); default 0. */
  shiftStartHour?: number;
}

/** A run of consecutive steps: starts[i] is the UTC instant at which step i starts; starts[steps] ends the last. */
export interface Timeline {
  tz: string;
  step: StepSpec;
  /** Length steps + 1. */
  starts: Float64Array;
  readonly steps: number;
}

/**
 * Counts per step and cell. `total` is [steps, rows, cols] of every counted event, typed or not (the
 * risk models and the evaluation use it); `data` is [steps, types, rows, cols] of the typed ones only,
 * types in MODEL_TYPES order (the per-type channels and the type head use it). An event of type
 * `unknown` is in `total` and in no channel of `data`.
 */
export interface CountTensor {
  grid: GridSpec;
  timeline: Timeline;
  types: readonly string[];
  /** Each step's events, sparse (history/events.ts): per cell, typed or not, and per type and cell. */
  store: EventStore;
  /** 1 where a step lies in a fireworks window and its counts were left out (only when asked). */
  excluded: Uint8Array;
  /** Events counted in `total` (in grid, non-duplicate, not excluded), typed or not. */
  events: number;
  /** Of those, the events with a modelled type (counted in `data` too). */
  typed: number;
  /** Of those, the events without one (type `unknown`): in `total`, in no type channel. */
  untyped: number;
  /** Distinct events in the timeline that were not counted at all, by reason. */
  dropped: { outsideGrid: number; fireworks: number };
}
