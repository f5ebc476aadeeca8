import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Builds the bench page (bench/page) into bench/dist; separate from the app's build. */
export default defineConfig({
  root: `${here}page`,
  base: './',
  logLevel: 'warn',
  build: {
    outDir: `${here}dist`,
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 8000,
    reportCompressedSize: false,
  },
  worker: { format: 'es' },
});
