import { expect, test, type Page } from '@playwright/test';
import { serveWorkerPage, type WorkerPageServer } from './worker-server';

/**
 * The WebGL2 backend in headless Chromium (SwiftShader): the shared conformance suite, a dense
 * gradient check, a 1,000-step leak test and a matmul benchmark, all inside a Web Worker on an
 * OffscreenCanvas. The worker (e2e/pages/webgl2-worker.ts) is bundled here with esbuild and
 * served by a throwaway local server, so the app build is not involved.
 */
const PAGE = `<!doctype html><meta charset="utf-8"><title>webgl2 kernels</title><script type="module">
const worker = new Worker('/worker.js', { type: 'module' });
const waiting = new Map();
let next = 0;
worker.onmessage = (e) => { const w = waiting.get(e.data.id); waiting.delete(e.data.id); e.data.error ? w.reject(new Error(e.data.error)) : w.resolve(e.data.result); };
worker.onerror = (e) => { for (const w of waiting.values()) w.reject(new Error('worker failed: ' + e.message)); };
window.runTask = (task) => new Promise((resolve, reject) => { const id = next++; waiting.set(id, { resolve, reject }); worker.postMessage({ id, task }); });
</script>`;

let server: WorkerPageServer;
let origin = '';

test.beforeAll(async () => {
  server = await serveWorkerPage('webgl2-worker.ts', PAGE);
  origin = server.origin;
});

test.afterAll(() => server.close());

async function runTask<T>(page: Page, task: string): Promise<T> {
  await page.goto(origin + '/');
  return page.evaluate((t) => (window as unknown as { runTask(t: string): Promise<T> }).runTask(t), task);
}

interface CaseResult { name: string; ok: boolean; maxError?: number; error?: string; ms?: number }

test('the whole conformance suite passes on WebGL2 (float32, error ≤ 1e-4)', async ({ page }) => {
  const { results, stats } = await runTask<{ results: CaseResult[]; stats: { liveTensors: number } }>(page, 'conformance');
  expect(results.length).toBeGreaterThan(20);
  for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name}${r.ok ? ` (max error ${r.maxError!.toExponential(1)}, ${r.ms?.toFixed(0)} ms)` : `: ${r.error}`}`);
  expect(results.filter((r) => !r.ok)).toEqual([]);
  // Every op of the interface is exercised, conv / pool / GRU included.
  for (const op of ['conv2d forward', 'conv2dBackwardInput', 'conv2dBackwardWeight', 'maxPool2d', 'gruForward forward', 'gruForward reverse', 'gruBackward forward', 'gruBackward reverse']) {
    expect(results.some((r) => r.name.startsWith(op)), op).toBe(true);
  }
  expect(stats.liveTensors).toBe(0);
});

test('dense-layer gradients on WebGL2 match float64 finite differences', async ({ page }) => {
  const { results, live } = await runTask<{ results: { activation: string; ok: boolean; checked: number; worst: unknown; failures: unknown[]; loss: number; referenceLoss: number }[]; live: number }>(page, 'gradcheck');
  for (const r of results) {
    console.log(`${r.activation}: ${r.checked} entries, worst ${JSON.stringify(r.worst)}`);
    expect(r.failures, r.activation).toEqual([]);
    expect(r.checked).toBe(111);
    expect(Math.abs(r.loss - r.referenceLoss)).toBeLessThan(1e-5);
  }
  expect(live).toBe(0);
});

test('conv, max-pool and GRU gradients on WebGL2 match float64 finite differences', async ({ page }) => {
  const { results, live } = await runTask<{ results: { name: string; checked: number; worst: unknown; failures: unknown[]; loss: number; referenceLoss: number }[]; live: number }>(page, 'opGradcheck');
  expect(results.map((r) => r.name)).toEqual(['conv+pool', 'gru forward', 'gru reverse']);
  for (const r of results) {
    console.log(`${r.name}: ${r.checked} entries, worst ${JSON.stringify(r.worst)}`);
    expect(r.failures, r.name).toEqual([]);
    expect(r.checked, r.name).toBe(r.name === 'conv+pool' ? 80 + 54 + 3 : 108 + 27 + 9);
    expect(Math.abs(r.loss - r.referenceLoss), r.name).toBeLessThan(1e-5);
  }
  expect(live).toBe(0);
});

interface Stats { liveTensors: number; textures: { inUse: number; pooled: number; created: number }; programs: number; draws: number }

test('1,000 MLP training steps: texture count stays flat and the loss falls', async ({ page }) => {
  const { before, report, after } = await runTask<{ before: Stats; report: { losses: number[]; first: Stats; last: Stats; msPerStep: number }; after: Stats }>(page, 'leak');
  console.log(`leak test: ${report.msPerStep.toFixed(2)} ms/step, losses ${report.losses.map((l) => l.toFixed(4)).join(' ')}`);
  console.log(`after step 1 ${JSON.stringify(report.first)}; after step 1000 ${JSON.stringify(report.last)}`);
  expect(report.losses).toHaveLength(11);
  expect(report.losses[10]).toBeLessThan(report.losses[0] * 0.01);
  expect(report.last.textures.created).toBe(report.first.textures.created);
  expect(report.last.textures.inUse).toBe(report.first.textures.inUse);
  expect(report.last.liveTensors).toBe(report.first.liveTensors);
  expect(report.last.programs).toBe(report.first.programs);
  expect(after.liveTensors).toBe(before.liveTensors);
  expect(after.textures.inUse).toBe(before.textures.inUse);
});

test('no usable WebGL2 context: create() rejects with a clear error', async ({ page }) => {
  const r = await runTask<{ threw: boolean; name?: string; message?: string }>(page, 'unavailable');
  expect(r).toEqual({ threw: true, name: 'WebGl2UnavailableError', message: expect.stringMatching(/WebGL2 is not available/) });
});

test('matmul throughput on WebGL2 (reported)', async ({ page }) => {
  const results = await runTask<{ m: number; n: number; k: number; gflops: number; ms: number; reps: number }[]>(page, 'bench');
  for (const r of results) console.log(`matmul ${r.m}x${r.k}·${r.k}x${r.n}: ${r.gflops.toFixed(2)} GFLOP/s (${(r.ms / r.reps).toFixed(1)} ms each)`);
  for (const r of results) expect(r.gflops).toBeGreaterThan(0.05);
});

interface ModelBench { model: string; batch: number; steps: number; msPerStep: number; examplesPerSec: number; losses: number[]; first: Stats; last: Stats }

for (const [task, label] of [['cnnBench', 'seed CNN (batch 256, 1×28×56)'], ['gruBench', 'BiGRU (H=128, T=100, B=64, 2 layers)']] as const) {
  test(`${label} forward+backward on WebGL2: throughput (reported), no GPU allocation once warm`, async ({ page }) => {
    test.setTimeout(600_000);
    const r = await runTask<ModelBench>(page, task);
    console.log(`${r.model}: ${r.examplesPerSec.toFixed(1)} examples/s forward+backward (${r.msPerStep.toFixed(0)} ms/step, batch ${r.batch}, ${r.steps} timed steps); losses ${r.losses.map((l) => l.toFixed(4)).join(' ')}`);
    console.log(`  after warm-up ${JSON.stringify(r.first)}; after the last step ${JSON.stringify(r.last)}`);
    expect(r.losses.every(Number.isFinite)).toBe(true);
    expect(r.examplesPerSec).toBeGreaterThan(0);
    expect(r.last.textures.created).toBe(r.first.textures.created);
    expect(r.last.textures.inUse).toBe(r.first.textures.inUse);
    expect(r.last.programs).toBe(r.first.programs);
  });
}
