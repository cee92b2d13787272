export function BriefingPanel() {
  return (
    <div data-testid="panel-briefing">
      <h2>Briefing</h2>
      <p className="muted">
        The roll-call briefing (patrol areas for the next shift, printed as a PDF) is built in its own issue
        and will appear here. Until then, use the Forecast panel&apos;s top cells.
      </p>
    </div>
  );
}
