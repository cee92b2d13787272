/**
 * Where the bundled resources are (the DC sample in data/, the map layers in geo/, the PDF fonts in
 * fonts/): the nearest folder above this module that holds resources/geo. That is the repository's
 * resources/ when the core runs from source (CLI, tests, web host) or from the built bundle in out/,
 * and the packaged app's <install>/resources/resources/ (electron-builder's extraResources, beside
 * app.asar) in an installed app. SHOTCAST_RESOURCES overrides it.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function findResourcesDir(from: string): string | null {
  let dir = dirname(from);
  for (;;) {
    const candidate = join(dir, 'resources');
    if (existsSync(join(candidate, 'geo'))) return candidate;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

let found: string | undefined;

/** The resources folder; throws when there is none (a broken install). */
export function resourcesDir(): string {
  if (process.env.SHOTCAST_RESOURCES) return resolve(process.env.SHOTCAST_RESOURCES);
  found ??=
    findResourcesDir(fileURLToPath(import.meta.url)) ??
    (() => {
      throw new Error(
        `shotcast's resources (map layers, fonts, the DC sample) are missing above ${fileURLToPath(import.meta.url)}; reinstall shotcast`,
      );
    })();
  return found;
}

/** A file or folder in the resources folder. */
export function resourcePath(...parts: string[]): string {
  return join(resourcesDir(), ...parts);
}
