import type { IncomingMessage, ServerResponse } from 'node:http';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
// With its extension (.js names the .ts), as vite's config loader asks.
import { QUICKDRAW_PROXY_HEADER, QUICKDRAW_PROXY_PROBE } from './src/app/quickdraw-proxy.js';
import { QUICKDRAW_PROXY_PREFIX, QUICKDRAW_UPSTREAM_FOLDER, quickDrawUpstreamPath } from './scripts/quickdraw-proxy-path.js';

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
 * sends no CORS headers, and the page (cross-origin isolated) could not read it directly. Only
 * `/quickdraw/<class>.ndjson` is forwarded, to that one file (scripts/quickdraw-proxy-path.ts);
 * anything else under /quickdraw/ gets a 404.
 */
const quickDrawProxy = {
  [QUICKDRAW_PROXY_PREFIX]: {
    target: 'https://storage.googleapis.com',
    changeOrigin: true,
    bypass: (req: { url?: string }) => (quickDrawUpstreamPath(req.url ?? '') === null ? false : undefined),
    // Only reached when bypass let the request through; the fallback names no file.
    rewrite: (path: string) => quickDrawUpstreamPath(path) ?? QUICKDRAW_UPSTREAM_FOLDER,
  },
};

/** The dev and preview servers answer the page's proxy probe themselves (src/app/quickdraw-proxy.ts), before the proxy. */
function answerProbe(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  if (req.url?.split('?')[0] !== QUICKDRAW_PROXY_PROBE) return next();
  res.statusCode = 200;
  for (const [name, value] of Object.entries(isolationHeaders)) res.setHeader(name, value);
  res.setHeader(QUICKDRAW_PROXY_HEADER, 'yes');
  res.setHeader('Cache-Control', 'no-store');
  res.end();
}

const quickDrawProbe: Plugin = {
  name: 'scratchnet-quickdraw-probe',
  configureServer: (server) => void server.middlewares.use(answerProbe),
  configurePreviewServer: (server) => void server.middlewares.use(answerProbe),
};

export default defineConfig({
  // Relative asset URLs: the built page works from any sub-path (GitHub Pages, a file server).
  base: './',
  plugins: [react(), quickDrawProbe],
  worker: { format: 'es' },
  server: { headers: isolationHeaders, proxy: quickDrawProxy },
  preview: { headers: isolationHeaders, proxy: quickDrawProxy },
  build: { target: 'es2022', chunkSizeWarningLimit: 1500 },
});
