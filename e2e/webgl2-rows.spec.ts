import { expect, test } from '@playwright/test';
import { serveWorkerPage, type WorkerPageServer } from './worker-server';

/**
 * WebGL2 matmul over more rows than a texture holds (a BiGRU's T·B rows): with the texture size
 * limit set to 16, every product is cut into tiles, and must equal the same product in one piece
 * (exactly where only rows and columns are tiled; to float rounding where the reduction is).
 * The worker (e2e/pages/webgl2-rows-worker.ts) is bundled here; the app build is not involved.
 */
const PAGE = `<!doctype html><meta charset="utf-8"><title>webgl2 tiling</title><script type="module">
window.runChecks = () => new Promise((resolve, reject) => {
  const worker = new Worker('/worker.js', { type: 'module' });
  worker.onmessage = (e) => (e.data.error ? reject(new Error(e.data.error)) : resolve(e.data.result));
  worker.onerror = (e) => reject(new Error('worker failed: ' + e.message));
  worker.postMessage('run');
});
</script>`;

interface Result { name: string; maxDiff: number; maxAbs: number }

let server: WorkerPageServer;
let origin = '';

test.beforeAll(async () => {
  server = await serveWorkerPage('webgl2-rows-worker.ts', PAGE);
  origin = server.origin;
});

test.afterAll(() => server.close());

test('tiled WebGL2 matmuls and a tiled BiGRU step equal the same work in one piece', async ({ page }) => {
  await page.goto(origin + '/');
  const { results, limits, live } = await page.evaluate(
    () => (window as unknown as { runChecks(): Promise<{ results: Result[]; limits: number[]; live: number }> }).runChecks(),
  );
  expect(limits[0]).toBe(16);
  expect(limits[1]).toBeGreaterThanOrEqual(4096);
  for (const r of results) console.log(`${r.name}: max |tiled − whole| ${r.maxDiff.toExponential(2)} (max |value| ${r.maxAbs.toFixed(3)})`);
  const matmul = results.filter((r) => r.name.includes('matmul')), bigru = results.filter((r) => r.name.includes('bigru'));
  const linear = results.filter((r) => r.name.includes('linear'));
  expect(matmul).toHaveLength(2 * 32);
  // linear past the texture size adds bias and relu in passes of their own, fused otherwise.
  expect(linear).toHaveLength(2 * 4);
  for (const r of [...matmul, ...linear]) {
    // k ≤ 64 is one reduction tile: the same shader loop per element, so not a bit may differ.
    const k = Number(/x(\d+)\]/.exec(r.name)![1]);
    if (k <= 64) expect(r.maxDiff, r.name).toBe(0);
    else expect(r.maxDiff, r.name).toBeLessThan(1e-5 * Math.max(1, r.maxAbs));
    expect(r.maxAbs, r.name).toBeGreaterThan(0.1);
  }
  expect(bigru).toHaveLength(2 * 20);
  for (const r of bigru) {
    expect(r.maxAbs, r.name).toBeGreaterThan(0);
    expect(r.maxDiff, r.name).toBeLessThan(1e-5 * Math.max(1e-2, r.maxAbs));
  }
  expect(live).toBe(0);
});
