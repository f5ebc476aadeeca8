/**
 * Worker side of e2e/webgl2.spec.ts: runs the WebGL2 backend on an OffscreenCanvas inside a
 * Web Worker (where the trainer will run it) and answers { id, task } messages with results.
 */
import { conformanceCases, runCase } from '../../src/kernels/testing/conformance';
import { WebGl2Backend } from '../../src/kernels/webgl2';
import { denseGradcheck, DEFAULT_DENSE_PROBLEM } from '../../src/kernels/webgl2/testing/dense-gradcheck';
import { CONV_PROBLEM, gruProblem } from '../../src/kernels/webgl2/testing/conv-gru-gradcheck';
import { benchMatmul } from '../../src/kernels/webgl2/testing/matmul-bench';
import { opGradcheck } from '../../src/kernels/webgl2/testing/op-gradcheck';
import { runMlpSteps } from '../../src/kernels/webgl2/testing/mlp-steps';
import { benchBiGru, benchCnn } from './webgl2-model-bench';

let shared: WebGl2Backend | undefined;
const backend = async (): Promise<WebGl2Backend> => (shared ??= await WebGl2Backend.create());

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

const tasks: Record<string, () => Promise<unknown>> = {
  async conformance() {
    // One backend for every case: a browser allows only a few live WebGL contexts.
    const b = await backend();
    const results = [];
    for (const c of conformanceCases) {
      try {
        const start = performance.now();
        const maxError = await runCase(() => b, c);
        results.push({ name: c.name, ok: true, maxError, ms: performance.now() - start });
      } catch (e) {
        results.push({ name: c.name, ok: false, error: message(e) });
      }
    }
    return { results, stats: b.stats() };
  },

  async gradcheck() {
    const b = await backend();
    const out = [];
    for (const activation of ['tanh', 'sigmoid', 'identity'] as const) {
      const r = await denseGradcheck(b, { ...DEFAULT_DENSE_PROBLEM, activation });
      out.push({ activation, ok: r.ok, checked: r.checked, worst: r.worst, failures: r.failures.slice(0, 5), loss: r.loss, referenceLoss: r.referenceLoss });
    }
    return { results: out, live: b.liveTensors() };
  },

  async opGradcheck() {
    const b = await backend();
    const out = [];
    for (const [name, problem] of [['conv+pool', CONV_PROBLEM], ['gru forward', gruProblem(false)], ['gru reverse', gruProblem(true)]] as const) {
      const r = await opGradcheck(b, problem);
      out.push({ name, ok: r.ok, checked: r.checked, worst: r.worst, failures: r.failures.slice(0, 5), loss: r.loss, referenceLoss: r.referenceLoss });
    }
    return { results: out, live: b.liveTensors() };
  },

  async cnnBench() {
    const b = await backend();
    return benchCnn(b, 3, () => b.stats());
  },

  async gruBench() {
    const b = await backend();
    return benchBiGru(b, 3, () => b.stats());
  },

  async leak() {
    const b = await backend();
    const before = b.stats();
    const report = await runMlpSteps(b, { steps: 1000, readEvery: 100, probe: () => b.stats() });
    return { before, report, after: b.stats() };
  },

  async bench() {
    const b = await backend();
    return [
      await benchMatmul(b, 512, 512, 512, 5),
      await benchMatmul(b, 128, 256, 784, 20),
      await benchMatmul(b, 784, 256, 128, 20),
    ];
  },

  async unavailable() {
    // A canvas whose context is already '2d' cannot give WebGL2: the fallback path.
    const canvas = new OffscreenCanvas(1, 1);
    canvas.getContext('2d');
    try {
      await WebGl2Backend.create({ canvas });
      return { threw: false };
    } catch (e) {
      return { threw: true, name: e instanceof Error ? e.name : '', message: message(e) };
    }
  },
};

self.onmessage = async (event: MessageEvent<{ id: number; task: string }>) => {
  const { id, task } = event.data;
  try {
    const run = tasks[task];
    if (!run) throw new Error(`unknown task '${task}'`);
    self.postMessage({ id, result: await run() });
  } catch (e) {
    self.postMessage({ id, error: message(e) });
  }
};
