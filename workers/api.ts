/**
 * The one API the trainer worker exposes (through comlink), grouped per network. The page calls only
 * these; everything heavy — data loading, training, evaluation, prediction, weight files — runs behind it.
 */
import type { Remote } from 'comlink';
import type { PairPreview, PairsInfo } from '../src/data/pairs-store';
import type {
  CnnFeatureMaps, CnnFeatures, CnnFilterBank, FirstLayerWeights, RnnStepPredictions,
} from '../src/train/inspect/types';
import type { Drawing } from '../src/data/strokes';
import type { LoadProgress, SequenceSplitName } from '../src/data/types';
import type { ModelNetwork } from '../src/nn/models/kind-spec';
import type { ModelKind } from '../src/nn/types';
import type { AutotuneResult, TrialResult } from '../src/train/autotune';
import type { SequencePredictOptions } from '../src/train/sequence-eval';
import type {
  EpochPoint, EvalReport, RnnTrainConfig, StepPoint, StopReason, TrainConfig, TrainProgress,
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
  /** Sequence models: misclassified test drawings as strokes (`examples` is then empty). */
  doodles?: MisclassifiedDoodle[];
  /** Sequence models: each drawing's probabilities were averaged with its mirror image's. */
  mirrorAveraged?: boolean;
}

/** A misclassified test drawing (Quick Draw simplified strokes, 0..255). */
export interface MisclassifiedDoodle {
  index: number;
  label: number;
  predicted: number;
  confidence: number;
  strokes: Drawing;
}

export type { SequencePredictOptions };

/**
 * The page's networks, as the model registry names each kind's network: each keeps its own current
 * model (saved under 'model/<slot>') and has its own group in TrainerApi.
 */
export type NetworkSlot = ModelNetwork;

export type { PairPreview, PairsInfo };

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
  /**
   * Data-parallel workers (this one included) that share each batch; unset or 1 = one thread. Runs
   * on 1 where the page is not cross-origin isolated or the kernels cannot (WebGL2).
   */
  workers?: number;
  /**
   * The run's id and start time (the page's run record): with them the worker checkpoints the whole
   * run after every epoch, so a reload can continue it (pendingRun / resumeRun).
   */
  runId?: string;
  startedAt?: number;
}

/** A network's run that did not end (a reload, a crash): what the page shows and continues. */
export interface PendingRun {
  runId: string;
  /** Epochs completed, of `epochs`, and steps done of the next one (a checkpoint taken on Pause). */
  epoch: number;
  epochs: number;
  step: number;
  config: TrainConfig | RnnTrainConfig | null;
  options: TrainOptions;
  startedAt: number;
  datasetId: string | null;
  loss: StepPoint[];
  epochPoints: EpochPoint[];
  /** Why the checkpoint cannot be used (damaged, from another build); it is kept, not deleted. */
  error: string | null;
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
  /** The run's checkpoint could not be written (e.g. storage full); training goes on. */
  onSaveError?(message: string): void;
}

export interface TrainOutcome {
  reason: StopReason;
  model: ModelSummary;
  /** The trained model could not be saved in the browser (it is still the page's current model). */
  saveError?: string;
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

/** What one class of a stored Quick Draw dataset holds. */
export interface SequenceClassSummary {
  name: string;
  /** Drawings stored. */
  count: number;
  /** Lines skipped: malformed JSON or refused drawings (empty strokes, coordinates out of range, …). */
  skipped: number;
  firstProblem: string | null;
  /** Read to the end or to the per-class limit. */
  done: boolean;
}

/** A stored Quick Draw dataset as the RNN page shows it; `complete: false` = an interrupted load. */
export interface SequenceDatasetInfo {
  id: string;
  name: string;
  source: string;
  classes: string[];
  perClassLimit: number | null;
  perClass: SequenceClassSummary[];
  counts: Record<SequenceSplitName, number>;
  complete: boolean;
}

/** A stored drawing for the preview grid (simplified strokes, 0..255). */
export interface DoodlePreview {
  classIndex: number;
  label: string;
  strokes: Drawing;
}

/** The BiGRU's reading of canvas strokes; null fields when nothing is drawn / no model exists yet. */
export interface StrokePrediction {
  probs: Float32Array | null;
  /** The stroke-3 steps the network sees: rows (dx/s, dy/s, p), `steps` of them (after truncation). */
  sequence: Float32Array | null;
  steps: number;
  /** Points of the simplified drawing before truncation to max_len. */
  points: number;
  /** s of the rows (the model's delta_scale). */
  deltaScale: number;
}

/** The page's kernel choice: 'cpu' = WebAssembly SIMD, else typed arrays; 'auto' times both. */
export type BackendPreference = 'auto' | 'cpu' | 'webgl2';
/** The network Auto times a few training steps of (the current page's). */
export type BackendNetwork = NetworkSlot;

/** What setBackend did: the kernels now in use and why (shown as the page's backend note). */
export interface BackendSelection {
  choice: BackendPreference;
  /** The kernels in use, e.g. "WebGL2" or "WebAssembly SIMD". */
  label: string;
  /** Why, e.g. "Auto: WebGL2 212 vs WebAssembly SIMD 1,840 examples/s on the MLP; using WebAssembly SIMD". */
  reason: string;
  /** True when WebGL2 was wanted (or timed) but could not run: the reason says why. */
  fallback: boolean;
}

export type { CnnFeatureMaps, CnnFeatures, CnnFilterBank, FirstLayerWeights, RnnStepPredictions };

/**
 * What every network's session does the same way (session-network.ts); TrainerApi has one of these
 * per network, each with the network's own extras.
 */
export interface NetworkApi<Config> {
  /** Trains a fresh model; resolves when the run ends (completed, stopped or diverged). */
  train(config: Config, callbacks: TrainCallbacks, options?: TrainOptions): Promise<TrainOutcome>;
  /** The run that a reload or a crash interrupted (checkpointed after its last epoch), or null. */
  pendingRun(): Promise<PendingRun | null>;
  /** Continues that run from its checkpoint, on the same data, settings and worker count. */
  resumeRun(runId: string, callbacks: TrainCallbacks): Promise<TrainOutcome>;
  /** While a run is paused: its weights become the saved model; resolves to the epochs done. */
  keepPausedWeights(): Promise<number>;
  /** Forgets the interrupted run (its checkpoint). */
  discardPendingRun(): Promise<void>;
  pause(): void;
  resume(): void;
  /** Ends the run after the current step (or the hyperparameter search). */
  stop(): void;
  /** Scores the current model on the loaded test split. `options`: sequence models only. */
  evaluate(options?: SequencePredictOptions): Promise<EvalResult>;
  exportModel(format: ExportFormat): Promise<Uint8Array>;
  /** Replaces the model with the file's; a bad file throws and leaves the current model in place. */
  importModel(bytes: Uint8Array): Promise<ModelSummary>;
  /** The current model (null when none). */
  modelSummary(): Promise<ModelSummary | null>;
}

/** The MNIST digits stored in this browser: the MLP trains on them, the CNN pairs them. */
export interface DigitDatasetsApi {
  /** Stores the bundled MNIST subset in IndexedDB (first run only); `pageBase` is the site's base URL. */
  ensureBundled(pageBase: string, onProgress: ProgressCallback): Promise<DatasetInfo>;
  list(): Promise<DatasetInfo[]>;
  /** Downloads the 4 MNIST IDX .gz files from `baseUrl` and stores them as 'mnist-full'. */
  loadRemote(baseUrl: string, onProgress: ProgressCallback): Promise<DatasetInfo>;
  /** Same from the 4 IDX files the user dropped. */
  loadFiles(files: File[], onProgress: ProgressCallback): Promise<DatasetInfo>;
}

export interface MlpApi extends NetworkApi<TrainConfig> {
  /** Loads a stored digit dataset into memory for training and evaluation. */
  selectDataset(id: string, onProgress?: ProgressCallback): Promise<DatasetInfo>;
  /** Probabilities for one 784-pixel image. */
  predict(pixels: Uint8Array): Promise<Float32Array>;
  /** Preprocesses canvas ink (0 bg … 255 ink, width × height) MNIST-style, then predicts. */
  predictInk(ink: Uint8ClampedArray, width: number, height: number): Promise<InkPrediction>;
  /** The current MLP's first-layer weights (up to 64 units); null without an MLP that has a hidden layer. */
  firstLayerWeights(): Promise<FirstLayerWeights | null>;
}

export interface CnnApi extends NetworkApi<TrainConfig> {
  /** Builds (or reuses) paired MNIST from stored digit dataset `sourceId`, stores it, loads it. */
  preparePairs(sourceId: string, onProgress: ProgressCallback): Promise<PairsInfo>;
  /** Loads paired MNIST built earlier from `sourceId`, or null when none is stored. */
  loadStoredPairs(sourceId: string): Promise<PairsInfo | null>;
  /** A 28×56 two-digit drawing (ink 0 bg … 255) → the CNN's probabilities over "00".."99". */
  predictInk(ink: Uint8ClampedArray, width: number, height: number): Promise<InkPrediction>;
  /** Runs the search on the pairs (stop() ends it); each finished trial is reported. */
  autotune(request: AutotuneRequest, onTrial: (trial: TrialResult) => void): Promise<AutotuneResult>;
  /**
   * The current CNN's filters and, for `pixels` (its input size, e.g. the 28×56 that predictInk
   * returns as `input`), the feature maps after each conv block; null without a CNN.
   */
  features(pixels: Uint8Array | null): Promise<CnnFeatures | null>;
}

export interface RnnApi extends NetworkApi<RnnTrainConfig> {
  /** Downloads `<base>/<class>.ndjson` per class (first `perClass` drawings), resuming an interrupted load. */
  loadRemote(base: string, classes: string[], perClass: number, onProgress: ProgressCallback): Promise<SequenceDatasetInfo>;
  /** Same from dropped `<class>.ndjson` files (labels in alphabetical order of class). */
  loadFiles(files: File[], perClass: number, onProgress: ProgressCallback): Promise<SequenceDatasetInfo>;
  /** Stores the bundled Quick Draw sample (first visit only; `pageBase` is the site's base URL) and describes it. */
  ensureSample(pageBase: string, onProgress: ProgressCallback): Promise<SequenceDatasetInfo>;
  /** Stored Quick Draw datasets, interrupted loads included. */
  listDatasets(): Promise<SequenceDatasetInfo[]>;
  /** Loads a complete stored Quick Draw dataset into memory for training and evaluation. */
  selectDataset(id: string, onProgress?: ProgressCallback): Promise<SequenceDatasetInfo>;
  /** Up to `perClass` training drawings of each class of dataset `id` (loaded first when needed). */
  previews(id: string, perClass: number): Promise<DoodlePreview[]>;
  /** Canvas strokes ([xs, ys] each, any scale) → simplified as Quick Draw did → stroke-3 → the BiGRU. */
  predictStrokes(strokes: Drawing, options?: SequencePredictOptions): Promise<StrokePrediction>;
  /** The same strokes → the BiGRU's probabilities after each step; null without a model or strokes. */
  stepPredictions(strokes: Drawing): Promise<RnnStepPredictions | null>;
}

/** The trainer worker's API: what all networks share, then one group per network (`api.cnn.train(…)`). */
export interface TrainerApi {
  /** Restores every network's saved model and lists the stored digits (the MLP's model is returned). */
  init(): Promise<StartupState>;
  /**
   * Switches the kernels every network runs on, moving each network's model to them (weights kept).
   * Refused while training or tuning; 'auto' times a few training steps of `network` on each.
   */
  setBackend(choice: BackendPreference, network: BackendNetwork): Promise<BackendSelection>;
  digits: DigitDatasetsApi;
  mlp: MlpApi;
  cnn: CnnApi;
  rnn: RnnApi;
}

/**
 * The worker as the page sees it: comlink makes every call async, group by group (a nested call
 * such as `api.cnn.train(…)` travels as one message).
 */
export type TrainerRemote = { readonly [Group in keyof TrainerApi]: Remote<TrainerApi[Group]> };
