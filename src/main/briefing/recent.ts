/** Recent detections for the briefing: counts per patrol area, by type, and by local hour of day. */
import { EVENT_TYPES, type EventType } from '../../shared/types.ts';
import type { ReadonlyDb } from '../db/connection.ts';
import { eventsBetween } from '../db/queries/events.ts';
import { cellOf } from '../grid/spec.ts';
import type { GridSpec } from '../grid/types.ts';

export interface RecentEvent {
  utcMs: number;
  hour: number;
  lat: number;
  lon: number;
  type: EventType;
}

/** Distinct (non-duplicate) events in [fromMs, toMs). */
export function recentEvents(db: ReadonlyDb, datasetId: number, fromMs: number, toMs: number): RecentEvent[] {
  const rows = eventsBetween(db, datasetId, fromMs, toMs);
  return rows.map((r) => ({
    ...r,
    type: (EVENT_TYPES as readonly string[]).includes(r.type) ? (r.type as EventType) : 'unknown',
  }));
}

export interface RecentSummary {
  byType: Record<EventType, number>;
  total: number;
  hourly: number[];
}

export function summarise(events: RecentEvent[], fromMs: number): RecentSummary {
  const byType = Object.fromEntries(EVENT_TYPES.map((t) => [t, 0])) as Record<EventType, number>;
  const hourly = new Array<number>(24).fill(0);
  let total = 0;
  for (const e of events) {
    if (e.utcMs < fromMs) continue;
    byType[e.type]++;
    if (e.hour >= 0 && e.hour < 24) hourly[e.hour]++;
    total++;
  }
  return { byType, total, hourly };
}

/** Events since fromMs inside the given cells. */
export function countInCells(
  events: RecentEvent[],
  grid: GridSpec,
  cells: readonly number[],
  fromMs: number,
): number {
  const set = new Set(cells);
  let n = 0;
  for (const e of events) if (e.utcMs >= fromMs && set.has(cellOf(grid, e.lat, e.lon))) n++;
  return n;
}
