import { defineConfig } from '@playwright/test';
// One definition of the browser and its flags for e2e tests and benchmarks: Debian's Chromium when
// present, else the browser `npx playwright install chromium` provides.
import { CHROMIUM_ARGS, CHROMIUM_BASE_ARGS, chromiumExecutable } from './bench/browser';
import { HAS_FULL_DATA, SHARED_DIR } from './src/train/testing/shared-data';

const port = Number(process.env.E2E_PORT ?? 4317);
const dataPort = Number(process.env.E2E_DATA_PORT ?? 4318);
// The built app to serve (`vite build --outDir X` then E2E_DIST=X), so parallel builds don't collide.
const dist = process.env.E2E_DIST ?? 'dist';

export default defineConfig({
  testDir: 'e2e',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  // One retry: main-thread timing (the long-task check) depends on what else the machine runs.
  // A real regression fails both attempts; a retry shows up as "flaky" in the report.
  retries: 1,
  reporter: [['list'], ['json', { outputFile: '.cache/test-reports/e2e.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    acceptDownloads: true,
  },
  projects: [
    {
      name: 'app',
      testIgnore: /webgl2.*\.spec\.ts/,
      use: { launchOptions: { executablePath: chromiumExecutable(), args: CHROMIUM_BASE_ARGS } },
    },
    {
      // WebGL2 on SwiftShader: no GPU on CI machines.
      name: 'webgl2',
      testMatch: /webgl2.*\.spec\.ts/,
      use: { launchOptions: { executablePath: chromiumExecutable(), args: CHROMIUM_ARGS } },
    },
  ],
  webServer: [
    {
      command: `npx vite preview --outDir ${dist} --port ${port} --strictPort --host 127.0.0.1`,
      url: `http://127.0.0.1:${port}/`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      // Serves the full data's data/ folder (../shared or SCRATCHNET_DATA) so tests can load "remote"
      // datasets from a local host; without it only /health answers (a bare clone).
      command: `node e2e/serve-shared-data.mjs ${dataPort}${HAS_FULL_DATA ? ` "${SHARED_DIR}/data"` : ''}`,
      url: `http://127.0.0.1:${dataPort}/health`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
  ],
});
