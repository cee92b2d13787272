import type { PreloadApi } from './api.ts';

declare global {
  interface Window {
    /** Present in the Electron app only; the web host's page talks HTTP instead. */
    shotcast?: PreloadApi;
  }
}
