/**
 * Worker side of e2e/webgl2-rows.spec.ts: the same products and BiGRU step on a WebGL2 backend
 * that acts as if its textures held 16 rows (so every product is tiled) and on one with the GPU's
 * real limit (one piece), inside a Web Worker on OffscreenCanvases; the tiled side once more
 * without float blending.
 */
import { WebGl2Backend } from '../../src/kernels/webgl2';
import { TILING_TEXTURE_SIZE, tiledLinearChecks, tiledMatmulChecks } from '../../src/kernels/webgl2/testing/tiling-check';
import { tiledBiGruCheck } from '../../src/nn/layers/gru-tiling-check';

self.onmessage = async () => {
  try {
    const whole = WebGl2Backend.open();
    const tiled = WebGl2Backend.open({ maxTextureSize: TILING_TEXTURE_SIZE });
    // Accumulating tiles add by blending where the GPU can, else through a copy of the output.
    const noBlend = WebGl2Backend.open({ maxTextureSize: TILING_TEXTURE_SIZE, floatBlend: false });
    const runs = [];
    for (const [label, backend] of [['', tiled], ['no blending: ', noBlend]] as const) {
      const results = [...await tiledMatmulChecks(backend, whole), ...await tiledLinearChecks(backend, whole), ...await tiledBiGruCheck(backend, whole)];
      runs.push(...results.map((r) => ({ ...r, name: label + r.name })));
    }
    const live = [whole, tiled, noBlend].reduce((n, b) => n + b.liveTensors(), 0);
    self.postMessage({ result: { results: runs, limits: [tiled.maxTextureSize, whole.maxTextureSize], live } });
  } catch (e) {
    self.postMessage({ error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) });
  }
};
