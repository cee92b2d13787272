import { Fragment } from 'react';

/**
 * Text that may break after an underscore, a dot, a dash or a slash (OakShots_&#8203;latlong,
 * oakland-&#8203;boundary.&#8203;geojson, America/&#8203;Los_&#8203;Angeles), so a long name wraps at its joints inside the narrow side
 * panel instead of widening its table or breaking mid-word.
 */
export function Breakable({ text }: { text: string }) {
  const parts = text.split(/(?<=[_./-])/);
  return (
    <>
      {parts.map((p, i) => (
        <Fragment key={i}>
          {i > 0 && <wbr />}
          {p}
        </Fragment>
      ))}
    </>
  );
}
