import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const RENDERER_OUT = join(REPO_ROOT, 'out', 'renderer');

/** Builds the renderer alone with Vite (no Electron parts) unless out/renderer already holds a build. */
export async function ensureRendererBuilt(opts: { force?: boolean; quiet?: boolean } = {}): Promise<string> {
  if (!opts.force && existsSync(join(RENDERER_OUT, 'index.html'))) return RENDERER_OUT;
  const { build } = await import('vite');
  const { rendererConfig } = await import('../electron.vite.config.ts');
  await build({ ...rendererConfig, configFile: false, logLevel: opts.quiet ? 'warn' : 'info' });
  return RENDERER_OUT;
}
