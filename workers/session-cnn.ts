/**
 * The CNN's side of the worker: paired MNIST (built from stored digits, or loaded when built before),
 * a drawn pair of digits, and a look inside the current CNN. The run / evaluate / export flow is
 * every network's (session-network.ts).
 */
import { loadStoredPairs, preparePairs, type LoadedPairs, type PairCounts } from '../src/data/pairs-store';
import { preprocessPair } from '../src/data/preprocess-digit';
import type { CnnFeatures, InkPrediction, PairsInfo, ProgressCallback } from './api';
import { cnnFeatures } from '../src/train/inspect';
import { ImageNetworkSession, type LoadedImages } from './session-images';
import type { SessionContext } from './session-network';

export class CnnSession extends ImageNetworkSession {
  private pairs: LoadedPairs | null = null;

  constructor(context: SessionContext) {
    super('cnn', context);
  }

  /** Builds (or reuses) paired MNIST from stored digits `sourceId` and loads it; `counts`: tests only. */
  async preparePairs(sourceId: string, onProgress: ProgressCallback, counts?: PairCounts): Promise<PairsInfo> {
    this.context.refuseWhileTraining('rebuild the pairs');
    this.pairs = await preparePairs(sourceId, onProgress, counts);
    return this.pairs.info;
  }

  /** Loads paired MNIST built earlier from `sourceId`, or null when none is stored. */
  async loadStoredPairs(sourceId: string): Promise<PairsInfo | null> {
    if (this.pairs?.info.sourceId === sourceId) return this.pairs.info;
    this.context.refuseWhileTraining('switch the pairs');
    const loaded = await loadStoredPairs(sourceId);
    if (loaded) this.pairs = loaded;
    return loaded?.info ?? null;
  }

  /** A 28×56 two-digit drawing (ink 0 bg … 255) → the CNN's probabilities over "00".."99". */
  predictInk(ink: Uint8ClampedArray, width: number, height: number): Promise<InkPrediction> {
    return this.predictImage(preprocessPair(ink, width, height), () => true);
  }

  /** The CNN's filters and, for `pixels`, its feature maps (the weights being trained during a run, as predictInk). */
  async features(pixels: Uint8Array | null): Promise<CnnFeatures | null> {
    await this.context.ready();
    return cnnFeatures(this.liveModel(), pixels);
  }

  protected images(): LoadedImages {
    const pairs = this.pairs;
    if (!pairs) throw new Error('No paired MNIST loaded yet: press "Build pairs" first');
    return { train: pairs.train, test: pairs.test, classes: [...pairs.train.classes], datasetId: pairs.info.sourceId };
  }

  /** The pairs follow the page's digit source, which the page loads itself. */
  protected async loadDataOfRun(): Promise<void> {}
}
