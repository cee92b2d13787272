import { m001 } from './001_initial.ts';
import { m002 } from './002_evaluation_runs.ts';
import { m003 } from './003_models.ts';
import { m004 } from './004_narrow_events.ts';
import { m005 } from './005_events_local_view.ts';
import { m006 } from './006_layers.ts';
import { m007 } from './007_dataset_holidays.ts';

export interface Migration {
  version: number;
  name: string;
  /** SQL run inside the migration's transaction. */
  up: string;
}

/** Every migration, in order. Append new versions; never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [m001, m002, m003, m004, m005, m006, m007];
