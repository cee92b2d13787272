import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { UserConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

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
    outDir: resolve(root, 'out/renderer'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    rollupOptions: { input: resolve(root, 'src/renderer/index.html') },
  },
};

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      rollupOptions: { input: resolve(root, 'src/main/index.ts') },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
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
