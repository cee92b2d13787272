/**
 * Why a row was rejected. Each reason is stored with the row's line, raw text and (where it applies)
 * the offending column, and counted in the import report.
 */
export const REJECT_REASONS = {
  missing_field: 'a required field is empty, or the row has too few columns',
  bad_date: 'the date or time cannot be read, or is not a real date (e.g. Feb 30)',
  future_date: 'the date lies after the moment of import',
  bad_coordinates: 'a coordinate is not a number',
  coordinates_out_of_range: 'latitude outside -90..90 or longitude outside -180..180',
  coordinates_zero: 'coordinates within 0.01° of (0, 0), the "null island" of failed geocoding',
  placeholder_coordinates: "the source's own marker for an address it could not geocode",
  bad_rounds: 'the rounds (shots) count is not a whole number ≥ 0',
} as const;

export type RejectReason = keyof typeof REJECT_REASONS;

/** A row's rejection as a format or the validator reports it. */
export interface Rejection {
  reason: RejectReason;
  /** The column at fault, as spelled in the file's header. */
  column?: string;
  detail?: string;
}
