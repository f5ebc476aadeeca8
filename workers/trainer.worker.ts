/// <reference lib="webworker" />
/**
 * The trainer worker: exposes TrainerSession through comlink. Byte results are transferred, not
 * copied, and every error reaches the page as an Error with a message fit for the status line.
 */
import * as Comlink from 'comlink';
import type { TrainerApi } from './api';
import { chooseCpuBackend } from '../src/kernels/choose';
import { TrainerSession } from './session';

const kernels = chooseCpuBackend();
const session = new TrainerSession(kernels.backend, kernels.label, kernels.fallbackReason);

function transferBytes<T extends { buffer: ArrayBufferLike }>(value: T): T {
  return Comlink.transfer(value, [value.buffer as ArrayBuffer]);
}

const api: TrainerApi = {
  init: () => session.init(),
  ensureBundled: (pageBase, onProgress) => session.ensureBundled(pageBase, onProgress),
  listDatasets: () => session.listDatasets(),
  loadRemote: (baseUrl, onProgress) => session.loadRemote(baseUrl, onProgress),
  loadFiles: (files, onProgress) => session.loadFiles(files, onProgress),
  selectDataset: (id, onProgress) => session.selectDataset(id, onProgress),
  startTraining: (config, callbacks) => session.startTraining(config, callbacks),
  pause: () => session.pause(),
  resume: () => session.resume(),
  stop: () => session.stop(),
  evaluate: (split) => session.evaluate(split),
  predict: async (pixels) => transferBytes(await session.predict(pixels)),
  predictInk: async (ink, width, height) => {
    const result = await session.predictInk(ink, width, height);
    const buffers = [result.input?.buffer, result.probs?.buffer].filter((b) => b !== undefined);
    return Comlink.transfer(result, buffers as ArrayBuffer[]);
  },
  exportModel: async (format) => transferBytes(await session.exportModel(format)),
  importModel: (bytes) => session.importModel(bytes),
};

Comlink.expose(api);
