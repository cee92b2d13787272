import { basename, dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin, UserConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
/** Where the build goes: out/ by default; SHOTCAST_OUT_DIR builds elsewhere (the built-bundle test). */
const out = resolve(root, process.env.SHOTCAST_OUT_DIR ?? 'out');

/**
 * The renderer's Vite config, also used on its own (scripts/build-renderer.ts) so the web host and the
 * browser tests can build just the renderer, fast, without Electron.
 */
export const rendererConfig: UserConfig = {
  root: resolve(root, 'src/renderer'),
  base: './',
  plugins: [react()],
  resolve: {
    alias: {
      // The package's "browser" field points at a UMD build that carries its own copy of deck.gl;
      // the ESM build shares ours (one deck.gl, one luma.gl context).
      'deck.gl-leaflet': resolve(root, 'node_modules/deck.gl-leaflet/dist/deck.gl-leaflet.esm.js'),
    },
    dedupe: [
      '@deck.gl/core',
      '@luma.gl/core',
      '@luma.gl/engine',
      '@luma.gl/webgl',
      'leaflet',
      'react',
      'react-dom',
    ],
  },
  build: {
    outDir: resolve(out, 'renderer'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    rollupOptions: { input: resolve(root, 'src/renderer/index.html') },
  },
};

/** `new URL('./x.worker.ts', import.meta.url)`: how the core names a worker thread's module. */
const WORKER_URL = /new URL\(\s*(['"])(\.{1,2}\/[^'"]+\.worker\.ts)\1\s*,\s*import\.meta\.url\s*\)/g;
const WORKER_REF = /__SHOTCAST_WORKER_([\w$]+)__/g;

/**
 * Worker-thread entries in the main-process build. Under tsx the core starts a worker on its own
 * TypeScript module (src/main/util/worker.ts); in the bundle each such module becomes an entry chunk of
 * its own (out/main/<name>.worker.js, sharing chunks with the main entries), and the URL points at it.
 */
export function workerEntries(): Plugin {
  return {
    name: 'shotcast:worker-entries',
    apply: 'build',
    async transform(code, id) {
      if (!code.includes('.worker.ts')) return null;
      const matches = [...code.matchAll(WORKER_URL)];
      if (matches.length === 0) return null;
      let out = '';
      let last = 0;
      for (const m of matches) {
        const spec = m[2];
        const target = await this.resolve(spec, id);
        if (!target) this.error(`${id}: cannot resolve the worker module ${spec}`);
        const ref = this.emitFile({ type: 'chunk', id: target.id, name: basename(spec, '.ts') });
        out += code.slice(last, m.index) + `new URL(__SHOTCAST_WORKER_${ref}__, import.meta.url)`;
        last = m.index + m[0].length;
      }
      return { code: out + code.slice(last), map: null };
    },
    renderChunk(code, chunk) {
      if (!code.includes('__SHOTCAST_WORKER_')) return null;
      return code.replace(WORKER_REF, (_all, ref: string) => {
        const rel = relative(dirname(chunk.fileName), this.getFileName(ref)).split('\\').join('/');
        return JSON.stringify(rel.startsWith('.') ? rel : `./${rel}`);
      });
    },
  };
}

export default defineConfig({
  main: {
    plugins: [workerEntries()],
    build: {
      outDir: resolve(out, 'main'),
      rollupOptions: {
        input: {
          // The Electron entry (shell + core) and the core alone, for plain Node (the built-bundle test).
          index: resolve(root, 'src/main/index.ts'),
          core: resolve(root, 'src/main/core.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(out, 'preload'),
      // A sandboxed preload can require only `electron`: bundle everything else into it.
      externalizeDeps: false,
      rollupOptions: {
        input: resolve(root, 'src/preload/index.ts'),
        external: ['electron'],
        // The package is "type": "module", but a sandboxed preload must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: rendererConfig,
});
