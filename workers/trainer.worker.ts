/// <reference lib="webworker" />
/**
 * The trainer worker: exposes TrainerSession through comlink. Byte results are transferred, not
 * copied, and every error reaches the page as an Error with a message fit for the status line.
 */
import * as Comlink from 'comlink';
import type { InkPrediction, TrainerApi } from './api';
import { chooseCpuBackend } from '../src/kernels/choose';
import { TrainerSession } from './session';
import { canShareMemory, workerTransport } from './grad-pool';

const kernels = chooseCpuBackend();
const session = new TrainerSession(kernels.backend, kernels.label, kernels.fallbackReason);
// Multi-worker training needs SharedArrayBuffer, i.e. a cross-origin isolated page.
if (canShareMemory()) session.gradientTransport = workerTransport;

function transferBytes<T extends { buffer: ArrayBufferLike }>(value: T): T {
  return Comlink.transfer(value, [value.buffer as ArrayBuffer]);
}

function transferPrediction(result: InkPrediction): InkPrediction {
  const buffers = [result.input?.buffer, result.probs?.buffer].filter((b) => b !== undefined);
  return Comlink.transfer(result, buffers as ArrayBuffer[]);
}

const api: TrainerApi = {
  init: () => session.init(),
  ensureBundled: (pageBase, onProgress) => session.ensureBundled(pageBase, onProgress),
  listDatasets: () => session.listDatasets(),
  loadRemote: (baseUrl, onProgress) => session.loadRemote(baseUrl, onProgress),
  loadFiles: (files, onProgress) => session.loadFiles(files, onProgress),
  selectDataset: (id, onProgress) => session.selectDataset(id, onProgress),
  startTraining: (config, callbacks, options) => session.startTraining(config, callbacks, options),
  pendingRun: (network) => session.pendingRun(network),
  resumeTraining: (network, runId, callbacks) => session.resumeTraining(network, runId, callbacks),
  discardPendingRun: (network) => session.discardPendingRun(network),
  keepPausedWeights: (network) => session.keepPausedWeights(network),
  pause: () => session.pause(),
  resume: () => session.resume(),
  stop: () => session.stop(),
  evaluate: (split, slot, options) => session.evaluate(split, slot, options),
  predict: async (pixels) => transferBytes(await session.predict(pixels)),
  predictInk: async (ink, width, height) => transferPrediction(await session.predictInk(ink, width, height)),
  predictPair: async (ink, width, height) => transferPrediction(await session.predictPair(ink, width, height)),
  exportModel: async (format, slot) => transferBytes(await session.exportModel(format, slot)),
  importModel: (bytes, slot) => session.importModel(bytes, slot),
  modelSummary: (slot) => session.modelSummary(slot),
  preparePairs: (sourceId, onProgress) => session.preparePairs(sourceId, onProgress),
  loadStoredPairs: (sourceId) => session.loadStoredPairs(sourceId),
  autotune: (request, onTrial) => session.autotune(request, onTrial),
  setBackend: (choice, network) => session.setBackend(choice, network),
  firstLayerWeights: async () => {
    const result = await session.firstLayerWeights();
    return result ? Comlink.transfer(result, [result.weights.buffer as ArrayBuffer]) : null;
  },
  // Small results (a few thousand floats): copied, not transferred.
  cnnFeatures: (pixels) => session.cnnFeatures(pixels),
  rnnSteps: (strokes) => session.rnnSteps(strokes),
  loadQuickDrawRemote: (base, classes, perClass, onProgress) => session.rnn.loadRemote(base, classes, perClass, onProgress),
  loadQuickDrawFiles: (files, perClass, onProgress) => session.rnn.loadFiles(files, perClass, onProgress),
  ensureQuickDrawSample: (pageBase, onProgress) => session.rnn.ensureSample(pageBase, onProgress),
  listSequenceDatasets: () => session.rnn.list(),
  selectSequenceDataset: (id, onProgress) => session.rnn.select(id, onProgress),
  sequencePreviews: (id, perClass) => session.rnn.previews(id, perClass),
  startSequenceTraining: (config, callbacks, options) => session.rnn.train(config, callbacks, options),
  predictStrokes: async (strokes, options) => {
    const result = await session.rnn.predict(strokes, options);
    const buffers = [result.probs?.buffer, result.sequence?.buffer].filter((b) => b !== undefined);
    return Comlink.transfer(result, buffers as ArrayBuffer[]);
  },
};

Comlink.expose(api);
