import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { build } from 'esbuild';

/**
 * The WebGL2 backend in headless Chromium (SwiftShader): the shared conformance suite, a dense
 * gradient check, a 1,000-step leak test and a matmul benchmark, all inside a Web Worker on an
 * OffscreenCanvas. The worker (e2e/pages/webgl2-worker.ts) is bundled here with esbuild and
 * served by a throwaway local server, so the app build is not involved.
 */
const here = path.dirname(fileURLToPath(import.meta.url));

const PAGE = `<!doctype html><meta charset="utf-8"><title>webgl2 kernels</title><script type="module">
const worker = new Worker('/worker.js', { type: 'module' });
const waiting = new Map();
let next = 0;
worker.onmessage = (e) => { const w = waiting.get(e.data.id); waiting.delete(e.data.id); e.data.error ? w.reject(new Error(e.data.error)) : w.resolve(e.data.result); };
worker.onerror = (e) => { for (const w of waiting.values()) w.reject(new Error('worker failed: ' + e.message)); };
window.runTask = (task) => new Promise((resolve, reject) => { const id = next++; waiting.set(id, { resolve, reject }); worker.postMessage({ id, task }); });
</script>`;

let server: Server;
let origin = '';

test.beforeAll(async () => {
  const bundle = await build({
    entryPoints: [path.join(here, 'pages/webgl2-worker.ts')], bundle: true, format: 'esm', target: 'es2022', write: false,
  });
  const worker = bundle.outputFiles[0].text;
  server = createServer((req, res) => {
    if (req.url === '/worker.js') res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(worker);
    else res.writeHead(200, { 'Content-Type': 'text/html' }).end(PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function runTask<T>(page: Page, task: string): Promise<T> {
  await page.goto(origin + '/');
  return page.evaluate((t) => (window as unknown as { runTask(t: string): Promise<T> }).runTask(t), task);
}

/** Ops the WebGL2 backend does not implement yet; their cases must fail with the clear error. */
const NOT_PORTED = /^(conv2d|maxPool2d|gru)/;

interface CaseResult { name: string; ok: boolean; maxError?: number; error?: string }

test('conformance suite passes on WebGL2 (float32, error ≤ 1e-4)', async ({ page }) => {
  const { results, stats } = await runTask<{ results: CaseResult[]; stats: { liveTensors: number } }>(page, 'conformance');
  expect(results.length).toBeGreaterThan(20);
  const ported = results.filter((r) => !NOT_PORTED.test(r.name));
  const notPorted = results.filter((r) => NOT_PORTED.test(r.name));
  for (const r of ported) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name}${r.ok ? ` (max error ${r.maxError!.toExponential(1)})` : `: ${r.error}`}`);
  expect(ported.filter((r) => !r.ok)).toEqual([]);
  expect(notPorted.length).toBeGreaterThan(0);
  for (const r of notPorted) {
    expect(r.ok, r.name).toBe(false);
    expect(r.error, r.name).toMatch(/is not implemented on webgl2 yet/);
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
