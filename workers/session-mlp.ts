/**
 * The MLP's side of the worker: the stored MNIST digits (bundled subset, full download, dropped IDX
 * files), the dataset loaded for training, and what the MLP page reads of its model (a drawn digit,
 * the first layer's weights). The run / evaluate / export flow is every network's (session-network.ts).
 */
import { ensureBundledMnist } from '../src/data/bundled';
import { loadMnistFromFiles, loadMnistFromUrl } from '../src/data/mnist-remote';
import { isPairsDataset } from '../src/data/pairs-store';
import { preprocessDigit } from '../src/data/preprocess-digit';
import { listDatasets, loadImageSet } from '../src/data/store';
import type { DatasetManifest } from '../src/data/types';
import { modelInputSize } from '../src/nn/models';
import type { DatasetInfo, FirstLayerWeights, InkPrediction, ProgressCallback } from './api';
import { firstLayerWeights } from '../src/train/inspect';
import { predictProbsAsync } from './predict';
import { ImageNetworkSession, type LoadedImages } from './session-images';
import type { SessionContext } from './session-network';

export function datasetInfo(m: DatasetManifest): DatasetInfo {
  return {
    id: m.id,
    name: m.name,
    source: m.source,
    classes: [...m.classes],
    trainCount: m.splits.train.count,
    testCount: m.splits.test.count,
    complete: m.complete,
  };
}

/** The MNIST digits stored in this browser (the MLP trains on them, the CNN pairs them). */
export const digitDatasets = {
  /** Stores the bundled MNIST subset (first visit only); `pageBase` is the site's base URL. */
  async ensureBundled(pageBase: string, onProgress: ProgressCallback): Promise<DatasetInfo> {
    return datasetInfo(await ensureBundledMnist(pageBase.replace(/\/+$/, ''), onProgress));
  },
  async list(): Promise<DatasetInfo[]> {
    return (await listDatasets()).filter((m) => !isPairsDataset(m.id)).map(datasetInfo);
  },
  async loadRemote(baseUrl: string, onProgress: ProgressCallback): Promise<DatasetInfo> {
    return datasetInfo(await loadMnistFromUrl(baseUrl, onProgress));
  },
  async loadFiles(files: File[], onProgress: ProgressCallback): Promise<DatasetInfo> {
    return datasetInfo(await loadMnistFromFiles(files, onProgress));
  },
};

interface LoadedDigits extends LoadedImages {
  info: DatasetInfo;
}

export class MlpSession extends ImageNetworkSession {
  private data: LoadedDigits | null = null;

  constructor(context: SessionContext) {
    super('mlp', context);
  }

  /** Loads a stored dataset into memory for training and evaluation. */
  async selectDataset(id: string, onProgress?: ProgressCallback): Promise<DatasetInfo> {
    if (this.data?.info.id === id) return this.data.info;
    this.context.refuseWhileTraining('switch datasets');
    const manifest = (await listDatasets()).find((m) => m.id === id);
    if (!manifest) throw new Error(`Dataset "${id}" is not stored in this browser; load it first`);
    onProgress?.({ phase: `Reading ${manifest.name} from browser storage`, fraction: 0 });
    const train = await loadImageSet(id, 'train');
    onProgress?.({ phase: `Reading ${manifest.name} from browser storage`, fraction: 0.8 });
    const test = await loadImageSet(id, 'test');
    onProgress?.({ phase: `${manifest.name} ready`, fraction: 1 });
    const info = datasetInfo(manifest);
    this.data = { info, train, test, classes: info.classes, datasetId: info.id };
    return info;
  }

  /** Probabilities for one 784-pixel image. */
  async predict(pixels: Uint8Array): Promise<Float32Array> {
    if (pixels.length !== 784) throw new Error(`predict expects 784 pixels (28×28), got ${pixels.length}`);
    await this.context.ready();
    const model = this.liveModel();
    if (!model) throw new Error('No model yet: train or import one first');
    return predictProbsAsync(model, pixels);
  }

  /** Canvas ink (0 bg … 255 ink, width × height), preprocessed MNIST-style, then the MLP's probabilities. */
  predictInk(ink: Uint8ClampedArray, width: number, height: number): Promise<InkPrediction> {
    // A network for other images (the 16×16 lines toy) cannot read a 28×28 digit.
    return this.predictImage(preprocessDigit(ink, width, height), (model, input) => modelInputSize(model) === input.length);
  }

  /** The kept MLP's first layer as images (the model being trained is left alone). */
  async firstLayerWeights(): Promise<FirstLayerWeights | null> {
    await this.context.ready();
    return firstLayerWeights(this.context.slots.get('mlp')?.model ?? null);
  }

  protected images(): LoadedDigits {
    if (!this.data) throw new Error('No dataset loaded yet: wait for the bundled MNIST to load or pick a dataset');
    return this.data;
  }

  protected async loadDataOfRun(datasetId: string | null): Promise<void> {
    if (datasetId && this.data?.info.id !== datasetId) await this.selectDataset(datasetId);
  }
}
