/**
 * The source formats the importer reads (src/main/ingest/formats/, one file each). Pure, and apart from
 * the contract, so the parsing worker does not load zod to know them.
 */
export const SOURCE_FORMATS = [
  'mpd-normalized',
  'mpd-raw',
  'dc-foia',
  'jtl-numshots',
  'oakland-cad',
  'generic',
] as const;
