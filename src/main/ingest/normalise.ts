import type { EventType } from '../../shared/types.ts';
import { UsageError } from '../util/errors.ts';
import type { Rejection } from './rejects.ts';

/**
 * Spellings of ShotSpotter classifications, reduced to lower-case words. The vendor's own classes
 * are Single Gunshot, Multiple Gunshots and Gunshot or Firecracker; "Probable/Possible Gunfire" is the
 * vendor's wording for an impulsive sound it could not confirm as gunfire, which is what DC publishes
 * as Gunshot_or_Firecracker.
 */
const TYPE_WORDS: Record<string, EventType> = {
  'single gunshot': 'single',
  'single gunshots': 'single',
  'single shot': 'single',
  single: 'single',
  'multiple gunshot': 'multiple',
  'multiple gunshots': 'multiple',
  'multiple shots': 'multiple',
  multiple: 'multiple',
  'gunshot or firecracker': 'gunshot_or_firecracker',
  'gunshots or firecracker': 'gunshot_or_firecracker',
  'gunshot or firecrackers': 'gunshot_or_firecracker',
  'probable gunfire': 'gunshot_or_firecracker',
  'possible gunfire': 'gunshot_or_firecracker',
  'possible gunshot': 'gunshot_or_firecracker',
};

/** Maps a source's type text to the four shotcast types; anything unrecognised is `unknown`. */
export function normaliseType(raw: string | null): EventType {
  if (!raw) return 'unknown';
  const words = raw
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  return TYPE_WORDS[words] ?? 'unknown';
}

/** Checks a coordinate pair; returns why it is unusable, or null. */
export function checkCoordinates(lat: number, lon: number, latCol: string, lonCol: string): Rejection | null {
  if (lat !== lat) return { reason: 'bad_coordinates', column: latCol };
  if (lon !== lon) return { reason: 'bad_coordinates', column: lonCol };
  if (lat < -90 || lat > 90)
    return { reason: 'coordinates_out_of_range', column: latCol, detail: `lat ${lat}` };
  if (lon < -180 || lon > 180) {
    return { reason: 'coordinates_out_of_range', column: lonCol, detail: `lon ${lon}` };
  }
  if (Math.abs(lat) < 0.01 && Math.abs(lon) < 0.01) {
    return { reason: 'coordinates_zero', detail: `(${lat}, ${lon})` };
  }
  return null;
}

/** Known cities → IANA zone, so that `--city` alone is enough for a generic file. Keys are lower-case. */
export const CITY_ZONES: Record<string, string> = {
  'washington dc': 'America/New_York',
  'washington, dc': 'America/New_York',
  washington: 'America/New_York',
  dc: 'America/New_York',
  oakland: 'America/Los_Angeles',
  'san francisco': 'America/Los_Angeles',
  'new york': 'America/New_York',
  chicago: 'America/Chicago',
  'kansas city': 'America/Chicago',
  milwaukee: 'America/Chicago',
  'cape town': 'Africa/Johannesburg',
};

/**
 * The IANA zone and city of an import: the dataset's own when it exists, else --tz, the --city's zone,
 * or the format's publisher's. Throws a UsageError when nothing tells the zone.
 */
export function datasetZone(
  spec: { name: string; tz?: string; city?: string },
  o: { existing?: { tz: string; city: string }; tz?: string; city?: string; file: string },
): { tz: string; city: string } {
  const tz =
    o.existing?.tz ?? o.tz ?? (o.city ? CITY_ZONES[o.city.trim().toLowerCase()] : undefined) ?? spec.tz ?? '';
  if (!tz) {
    throw new UsageError(
      `cannot tell the time zone of ${o.file} (${spec.name} format): pass --tz ZONE (IANA, e.g. America/New_York) or a known --city`,
    );
  }
  return { tz, city: o.existing?.city ?? o.city ?? spec.city ?? 'unspecified' };
}
