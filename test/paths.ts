import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

/** The repository root (this file lives in <repo>/test). */
export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
/** Real public ShotSpotter files the tests read (test/data/README.md: sources, terms, counts). */
export const TEST_DATA = resolve(REPO_ROOT, 'test/data');
/** The built-in DC sample (MPD 2014–2018 normalized), which the app ships and the tests share. */
export const DC_SAMPLE = resolve(REPO_ROOT, 'resources/data/dc_mpd_2014-2018_normalized.csv');
