/**
 * "Suggested units: 7 (rule…) [Use 7 units]": the briefing's unit suggestion for a step's volume, with
 * a button that takes it when the form holds another number. The Forecast and Briefing panels both
 * show it.
 */
export function SuggestedUnits({
  volume,
  units,
  onUse,
  testId,
}: {
  volume: { suggestedUnits: number; suggestionRule: string };
  /** The form's number of units now. */
  units: number;
  onUse(units: number): void;
  /** The button's test id. */
  testId: string;
}) {
  const n = volume.suggestedUnits;
  return (
    <>
      Suggested units: <strong>{n}</strong> <span className="muted">({volume.suggestionRule})</span>
      {n !== units && (
        <>
          {' '}
          <button type="button" onClick={() => onUse(n)} data-testid={testId}>
            Use {n} units
          </button>
        </>
      )}
    </>
  );
}
