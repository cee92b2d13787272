import type { Migration } from './index.ts';

/**
 * A dataset's own holiday dates (besides the built-in list, holidays.ts): a sorted, comma-separated
 * list of full dates (`2018-05-28`) and yearly dates (`05-28`), empty for none. Every forecast,
 * evaluation and training run of the dataset uses them.
 */
export const m007: Migration = {
  version: 7,
  name: 'per-dataset holidays',
  up: `ALTER TABLE datasets ADD COLUMN holidays TEXT NOT NULL DEFAULT '';`,
};
