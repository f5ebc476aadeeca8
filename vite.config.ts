import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * Cross-origin isolation (COOP + COEP) lets the worker use SharedArrayBuffer and precise timers
 * later (WASM threads); every asset the page loads must then be same-origin or CORS-enabled.
 */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * Quick, Draw!'s public simplified drawings, reached through the dev / preview server: the bucket
 * sends no CORS headers, and the page (cross-origin isolated) could not read it directly.
 */
const quickDrawProxy = {
  '/quickdraw/': {
    target: 'https://storage.googleapis.com',
    changeOrigin: true,
    rewrite: (path: string) => path.replace(/^\/quickdraw\//, '/quickdraw_dataset/full/simplified/'),
  },
};

export default defineConfig({
  // Relative asset URLs: the built page works from any sub-path (GitHub Pages, a file server).
  base: './',
  plugins: [react()],
  worker: { format: 'es' },
  server: { headers: isolationHeaders, proxy: quickDrawProxy },
  preview: { headers: isolationHeaders, proxy: quickDrawProxy },
  build: { target: 'es2022', chunkSizeWarningLimit: 1500 },
});
