import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const RENDERER_OUT = join(REPO_ROOT, 'out', 'renderer');
/** What the renderer bundle is built from. */
const SOURCES = ['src/renderer', 'src/shared', 'electron.vite.config.ts'].map((p) => join(REPO_ROOT, p));

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** Whether out/renderer holds a build at least as new as every renderer source. */
export function rendererIsFresh(): boolean {
  const index = join(RENDERER_OUT, 'index.html');
  if (!existsSync(index)) return false;
  const built = statSync(index).mtimeMs;
  return SOURCES.every((p) => newestMtime(p) <= built);
}

/**
 * Builds the renderer alone with Vite (no Electron parts, a few seconds) when out/renderer is missing or
 * older than its sources, so `npm run web` and the browser tests work from a clean clone.
 */
export async function ensureRendererBuilt(opts: { force?: boolean; quiet?: boolean } = {}): Promise<string> {
  if (!opts.force && rendererIsFresh()) return RENDERER_OUT;
  const { build } = await import('vite');
  const { rendererConfig } = await import('../electron.vite.config.ts');
  // Vite takes React's build flavour from NODE_ENV when it is set: under vitest (NODE_ENV=test) the browser
  // tests would otherwise build, and leave behind as "fresh", React's development bundle, whose per-element
  // owner-stack capture made every scrub step cost ~200 ms. The renderer we serve is always production.
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      ...rendererConfig,
      configFile: false,
      mode: 'production',
      logLevel: opts.quiet ? 'warn' : 'info',
    });
  } finally {
    if (before === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = before;
  }
  return RENDERER_OUT;
}
