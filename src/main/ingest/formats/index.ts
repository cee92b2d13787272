import { UsageError } from '../../util/errors.ts';
import { dcFoia } from './dc-foia.ts';
import { generic } from './generic.ts';
import { jtlNumshots } from './jtl-numshots.ts';
import { mpdNormalized } from './mpd-normalized.ts';
import { mpdRaw } from './mpd-raw.ts';
import { oaklandCad } from './oakland-cad.ts';
import { FORMAT_NAMES, type FormatName, type FormatSpec } from './types.ts';

/** Every source format, most specific first: detection takes the first whose header matches. */
export const FORMATS: readonly FormatSpec[] = [
  mpdNormalized,
  mpdRaw,
  dcFoia,
  jtlNumshots,
  oaklandCad,
  generic,
];

export function formatByName(name: string): FormatSpec {
  const f = FORMATS.find((x) => x.name === name);
  if (!f) throw new UsageError(`unknown format '${name}'; formats are ${FORMAT_NAMES.join(', ')}`);
  return f;
}

export type { FormatName, FormatSpec };
