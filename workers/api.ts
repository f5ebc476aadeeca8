/**
 * The one API the trainer worker exposes (through comlink). The page calls only these; everything
 * heavy — data loading, training, evaluation, prediction, weight files — runs behind it.
 */
import type { LoadProgress } from '../src/data/types';
import type { ModelKind } from '../src/nn/types';
import type { AutotuneResult, TrialResult } from '../src/train/autotune';
import type {
  EpochPoint, EvalReport, StepPoint, StopReason, TrainConfig, TrainProgress,
} from '../src/train/types';

export type { LoadProgress };

/** A dataset as the selector shows it. */
export interface DatasetInfo {
  id: string;
  name: string;
  source: string;
  classes: string[];
  trainCount: number;
  testCount: number;
  complete: boolean;
}

/** What the page shows about the current model. */
export interface ModelSummary {
  kind: ModelKind;
  /** The A1 architecture JSON. */
  config: Record<string, unknown>;
  /** Human description, e.g. "784-256-128-64-10 · relu". */
  architecture: string;
  classes: string[];
  parameterCount: number;
  metrics: Record<string, unknown>;
  /** How this model came to be. */
  origin: 'trained' | 'imported' | 'restored';
}

/** A misclassified example with its pixels, for drawing. */
export interface MisclassifiedDigit {
  index: number;
  label: number;
  predicted: number;
  confidence: number;
  /** 28×28 uint8, MNIST convention (255 = ink). */
  pixels: Uint8Array;
}

export interface EvalResult {
  report: EvalReport;
  examples: MisclassifiedDigit[];
  /** Shape of each example's pixels ([28, 28] for digits, [28, 56] for pairs); absent = [28, 28]. */
  inputShape?: number[];
  /** Paired-digit models: a 10×10 confusion matrix per digit position, [true][predicted]. */
  digitConfusion?: { tens: number[][]; ones: number[][] };
}

/** The page's networks: each keeps its own current model (saved under 'model/<slot>'). */
export type NetworkSlot = 'mlp' | 'cnn';

/** A paired-MNIST example for display. */
export interface PairPreview {
  /** 28×56 uint8 pixels (255 = ink). */
  pixels: Uint8Array;
  label: string;
}

/** Paired MNIST held in the worker's memory, ready for the CNN. */
export interface PairsInfo {
  id: string;
  /** The digit dataset the pairs were built from ('mnist-bundled' | 'mnist-full'). */
  sourceId: string;
  name: string;
  trainCount: number;
  testCount: number;
  samples: PairPreview[];
}

/** A short hyperparameter search (src/train/autotune) on a subset of the train split. */
export interface AutotuneRequest {
  base: TrainConfig;
  /** Train examples per trial (split into train/dev as the base run). */
  subset: number;
  epochs: number;
  /** Random (lr, λ) trials after the lr sweep. */
  trials: number;
  lrSweep?: number[];
}

export interface TrainOptions {
  /** Train on only the first N examples of the train split (quick runs); unset = all. */
  trainLimit?: number;
}

/** Prediction for a drawing: null fields when nothing is drawn / no model exists yet. */
export interface InkPrediction {
  /** The 28×28 image the network sees (null when the canvas is empty). */
  input: Uint8Array | null;
  /** Class probabilities (null without a model or input). */
  probs: Float32Array | null;
}

export interface TrainCallbacks {
  onSteps(points: StepPoint[], progress: TrainProgress): void;
  onEpoch(point: EpochPoint): void;
}

export interface TrainOutcome {
  reason: StopReason;
  model: ModelSummary;
}

export type ProgressCallback = (p: LoadProgress) => void;

/** State recovered from IndexedDB when the worker starts. */
export interface StartupState {
  datasets: DatasetInfo[];
  model: ModelSummary | null;
  /** A non-fatal problem while restoring (e.g. a stored model that no longer loads). */
  warning: string | null;
  /** The kernels training runs on, e.g. "WebAssembly SIMD". */
  kernels: string;
}

export type ExportFormat = 'safetensors' | 'npz';

export interface TrainerApi {
  /** Restores the saved model and lists stored datasets. */
  init(): Promise<StartupState>;
  /** Stores the bundled MNIST subset in IndexedDB (first run only); `pageBase` is the site's base URL. */
  ensureBundled(pageBase: string, onProgress: ProgressCallback): Promise<DatasetInfo>;
  listDatasets(): Promise<DatasetInfo[]>;
  /** Downloads the 4 MNIST IDX .gz files from `baseUrl` and stores them as 'mnist-full'. */
  loadRemote(baseUrl: string, onProgress: ProgressCallback): Promise<DatasetInfo>;
  /** Same from the 4 IDX files the user dropped. */
  loadFiles(files: File[], onProgress: ProgressCallback): Promise<DatasetInfo>;
  /** Loads a stored dataset into memory for training and evaluation. */
  selectDataset(id: string, onProgress?: ProgressCallback): Promise<DatasetInfo>;
  /** Trains a fresh model; resolves when the run ends (completed, stopped or diverged). */
  startTraining(config: TrainConfig, callbacks: TrainCallbacks, options?: TrainOptions): Promise<TrainOutcome>;
  pause(): void;
  resume(): void;
  stop(): void;
  /** `slot` defaults to 'mlp' (on the digits); 'cnn' evaluates on the test pairs. */
  evaluate(split: 'test', slot?: NetworkSlot): Promise<EvalResult>;
  /** Probabilities for one 784-pixel image. */
  predict(pixels: Uint8Array): Promise<Float32Array>;
  /** Preprocesses canvas ink (0 bg … 255 ink, width × height) MNIST-style, then predicts. */
  predictInk(ink: Uint8ClampedArray, width: number, height: number): Promise<InkPrediction>;
  exportModel(format: ExportFormat, slot?: NetworkSlot): Promise<Uint8Array>;
  /** Replaces the model with the file's; a bad file throws and leaves the current model in place. */
  importModel(bytes: Uint8Array, slot?: NetworkSlot): Promise<ModelSummary>;
  /** The current model of a network (null when none). */
  modelSummary(slot: NetworkSlot): Promise<ModelSummary | null>;
  /** Builds (or reuses) paired MNIST from stored digit dataset `sourceId`, stores it, loads it. */
  preparePairs(sourceId: string, onProgress: ProgressCallback): Promise<PairsInfo>;
  /** Loads paired MNIST built earlier from `sourceId`, or null when none is stored. */
  loadStoredPairs(sourceId: string): Promise<PairsInfo | null>;
  /** Runs the search on the network's data (stop() ends it); each finished trial is reported. */
  autotune(request: AutotuneRequest, onTrial: (trial: TrialResult) => void): Promise<AutotuneResult>;
  /** A 28×56 two-digit drawing (ink 0 bg … 255) → the CNN's probabilities over "00".."99". */
  predictPair(ink: Uint8ClampedArray, width: number, height: number): Promise<InkPrediction>;
}
