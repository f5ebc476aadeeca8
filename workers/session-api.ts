/**
 * TrainerSession as the page calls it through comlink (api.ts): the same groups, with byte results
 * transferred rather than copied (the session never hands out backend memory, so the page may
 * detach them).
 */
import * as Comlink from 'comlink';
import type { RnnTrainConfig, TrainConfig } from '../src/train/types';
import type { InkPrediction, NetworkApi, TrainerApi } from './api';
import type { NetworkSession, RunData } from './session-network';
import type { TrainerSession } from './session';

function transferBytes<T extends { buffer: ArrayBufferLike }>(value: T): T {
  return Comlink.transfer(value, [value.buffer as ArrayBuffer]);
}

/** Transfers every typed array among `values`' fields that is present. */
function transferFields<T extends object>(result: T, fields: (Float32Array | Uint8Array | null | undefined)[]): T {
  const buffers = fields.filter((f) => f != null).map((f) => f.buffer as ArrayBuffer);
  return Comlink.transfer(result, buffers);
}

function transferPrediction(result: InkPrediction): InkPrediction {
  return transferFields(result, [result.input, result.probs]);
}

/** The calls every network answers the same way. */
function networkApi<Config extends TrainConfig | RnnTrainConfig>(network: NetworkSession<Config, RunData>): NetworkApi<Config> {
  return {
    train: (config, callbacks, options) => network.train(config, callbacks, options),
    pendingRun: () => network.pendingRun(),
    resumeRun: (runId, callbacks) => network.resumeRun(runId, callbacks),
    keepPausedWeights: () => network.keepPausedWeights(),
    discardPendingRun: () => network.discardPendingRun(),
    pause: () => network.pause(),
    resume: () => network.resume(),
    stop: () => network.stop(),
    evaluate: (options) => network.evaluate(options),
    exportModel: async (format) => transferBytes(await network.exportModel(format)),
    importModel: (bytes) => network.importModel(bytes),
    modelSummary: () => network.modelSummary(),
  };
}

export function exposedApi(session: TrainerSession): TrainerApi {
  const { digits, mlp, cnn, rnn } = session;
  return {
    init: () => session.init(),
    setBackend: (choice, network) => session.setBackend(choice, network),
    digits: {
      ensureBundled: (pageBase, onProgress) => digits.ensureBundled(pageBase, onProgress),
      list: () => digits.list(),
      loadRemote: (baseUrl, onProgress) => digits.loadRemote(baseUrl, onProgress),
      loadFiles: (files, onProgress) => digits.loadFiles(files, onProgress),
    },
    mlp: {
      ...networkApi(mlp),
      selectDataset: (id, onProgress) => mlp.selectDataset(id, onProgress),
      predict: async (pixels) => transferBytes(await mlp.predict(pixels)),
      predictInk: async (ink, width, height) => transferPrediction(await mlp.predictInk(ink, width, height)),
      firstLayerWeights: async () => {
        const result = await mlp.firstLayerWeights();
        return result ? transferFields(result, [result.weights]) : null;
      },
    },
    cnn: {
      ...networkApi(cnn),
      preparePairs: (sourceId, onProgress) => cnn.preparePairs(sourceId, onProgress),
      loadStoredPairs: (sourceId) => cnn.loadStoredPairs(sourceId),
      predictInk: async (ink, width, height) => transferPrediction(await cnn.predictInk(ink, width, height)),
      autotune: (request, onTrial) => cnn.autotune(request, onTrial),
      // Small results (a few thousand floats): copied, not transferred.
      features: (pixels) => cnn.features(pixels),
    },
    rnn: {
      ...networkApi(rnn),
      loadRemote: (base, classes, perClass, onProgress) => rnn.loadRemote(base, classes, perClass, onProgress),
      loadFiles: (files, perClass, onProgress) => rnn.loadFiles(files, perClass, onProgress),
      ensureSample: (pageBase, onProgress) => rnn.ensureSample(pageBase, onProgress),
      listDatasets: () => rnn.listDatasets(),
      selectDataset: (id, onProgress) => rnn.selectDataset(id, onProgress),
      previews: (id, perClass) => rnn.previews(id, perClass),
      predictStrokes: async (strokes, options) => {
        const result = await rnn.predictStrokes(strokes, options);
        return transferFields(result, [result.probs, result.sequence]);
      },
      stepPredictions: (strokes) => rnn.stepPredictions(strokes),
    },
  };
}
