/**
 * The page's state: a zustand vanilla store fed by the worker callbacks (through the controller)
 * and read by React with useStore. Holds only what the UI shows; no computing happens here.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { LoadProgress } from '../data/types';
import type { TrialResult } from '../train/autotune';
import type { EpochPoint, StepPoint, TrainProgress } from '../train/types';
import type { DatasetInfo, EvalResult, ModelSummary, PairsInfo } from '../../workers/api';
import { DEFAULT_CNN_FORM, type CnnForm } from './cnn-hyperparams';
import { DEFAULT_FORM, type HyperForm } from './mlp-hyperparams';

/** 'tuning': a hyperparameter search runs (no pause; its own Stop). */
export type TrainingPhase = 'idle' | 'starting' | 'running' | 'paused' | 'stopping' | 'tuning';
export type StatusKind = 'info' | 'busy' | 'error' | 'success';

/**
 * The loss chart keeps at most about this many points; older ones are merged pairwise. A few
 * hundred show the curve as well as thousands and keep each chart update (recharts) cheap.
 */
export const MAX_LOSS_POINTS = 400;

export const DEFAULT_MNIST_BASE = 'https://storage.googleapis.com/cvdf-datasets/mnist/';

export interface Prediction {
  /** 28×28 image the network saw; null when the canvas is empty. */
  input: Uint8Array | null;
  probs: number[] | null;
}

/** The MLP page's own state: its form. */
export interface MlpPageState {
  form: HyperForm;
}

/** The CNN page's own state. */
export interface CnnPageState {
  form: CnnForm;
  /** The paired MNIST loaded in the worker (the store's datasetId is then its id). */
  pairs: PairsInfo | null;
  /** The digit dataset pairs are built from. */
  pairSource: string | null;
  /** Auto-tune trials of the latest search, in the order run. */
  trials: TrialResult[];
  /** After a finished search, retrain on the full data with the best pair (the seed's pipeline). */
  autotuneRetrain: boolean;
}

/**
 * What only one page shows, under that page: the controllers and panels shared by every page read
 * the fields beside `pages`; a page's own controller and panels read its slice. (The RNN page keeps
 * its form and Quick Draw source in a store of its own, rnn-controller.ts.)
 */
export interface PageSlices {
  mlp: MlpPageState;
  cnn: CnnPageState;
}

export interface AppState {
  status: { text: string; kind: StatusKind };
  datasets: DatasetInfo[];
  /** Dataset held in the worker's memory, ready to train on. */
  datasetId: string | null;
  /** Progress of a dataset load (download / storing / reading); null when none runs. */
  load: LoadProgress | null;
  mnistBase: string;
  phase: TrainingPhase;
  lossPoints: StepPoint[];
  epochPoints: EpochPoint[];
  progress: TrainProgress | null;
  evalResult: EvalResult | null;
  evaluating: boolean;
  prediction: Prediction;
  model: ModelSummary | null;
  /** The kernels the worker trains on. */
  kernels: string | null;
  pages: PageSlices;
}

export function initialState(mnistBase = DEFAULT_MNIST_BASE): AppState {
  return {
    status: { text: 'Starting…', kind: 'busy' },
    datasets: [],
    datasetId: null,
    kernels: null,
    load: null,
    mnistBase,
    phase: 'idle',
    lossPoints: [],
    epochPoints: [],
    progress: null,
    evalResult: null,
    evaluating: false,
    prediction: { input: null, probs: null },
    model: null,
    pages: {
      mlp: { form: { ...DEFAULT_FORM } },
      cnn: { form: { ...DEFAULT_CNN_FORM }, pairs: null, pairSource: null, trials: [], autotuneRetrain: true },
    },
  };
}

/**
 * The state change that sets `patch` into one page's slice (the other slices and fields kept),
 * to pass to setState alone or spread beside changes of shared fields in one update.
 */
export function pagePatch<P extends keyof PageSlices>(
  state: AppState, page: P, patch: Partial<PageSlices[P]>,
): Pick<AppState, 'pages'> {
  return { pages: { ...state.pages, [page]: { ...state.pages[page], ...patch } } };
}

export type AppStore = StoreApi<AppState>;

export function createAppStore(mnistBase?: string): AppStore {
  return createStore<AppState>()(() => initialState(mnistBase));
}

/**
 * Appends loss points, keeping the series under `max` by averaging neighbouring pairs of the
 * existing points (the chart keeps its shape; rendering stays cheap however long the run).
 */
export function appendLossPoints(existing: StepPoint[], added: StepPoint[], max = MAX_LOSS_POINTS): StepPoint[] {
  let points = existing.concat(added);
  while (points.length > max) points = halve(points);
  return points;
}

function halve(points: StepPoint[]): StepPoint[] {
  const out: StepPoint[] = [];
  for (let i = 0; i + 1 < points.length; i += 2) {
    const a = points[i];
    const b = points[i + 1];
    out.push({ step: b.step, epoch: b.epoch, loss: (a.loss + b.loss) / 2 });
  }
  if (points.length % 2 === 1) out.push(points[points.length - 1]);
  return out;
}

export function setStatus(store: AppStore, text: string, kind: StatusKind = 'info'): void {
  store.setState({ status: { text, kind } });
}
