/**
 * Small preferences kept in localStorage (and the `?mnistBase=` override tests use to point the
 * page at a local server, for that visit). Every access is guarded: storage can be disabled or full.
 */
import type { BackendPreference } from '../../workers/api';
import { DEFAULT_MNIST_BASE } from './page-state';

const BASE_KEY = 'scratchnet.mnistBase';
const DATASET_KEY = 'scratchnet.dataset';
const BACKEND_KEY = 'scratchnet.backend';

function read(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    globalThis.localStorage?.setItem(key, value);
  } catch {
    // A preference that is not remembered is not worth an error message.
  }
}

/**
 * `?mnistBase=` wins for this visit only, then the saved value, then the public mirror. A link's
 * data URL is remembered only once the user actually loads from it (the controller saves it then):
 * opening a link must not change where later visits download from.
 */
export function initialMnistBase(search: string): string {
  const fromQuery = new URLSearchParams(search).get('mnistBase');
  if (fromQuery) return fromQuery;
  return read(BASE_KEY) ?? DEFAULT_MNIST_BASE;
}

export function saveMnistBase(url: string): void {
  write(BASE_KEY, url);
}

export function savedDatasetId(): string | null {
  return read(DATASET_KEY);
}

export function saveDatasetId(id: string): void {
  write(DATASET_KEY, id);
}

/** The kernel choice of the select; 'cpu' (the worker's start-up kernels) until one is made. */
export function savedBackendChoice(): BackendPreference {
  const saved = read(BACKEND_KEY);
  return saved === 'auto' || saved === 'webgl2' || saved === 'cpu' ? saved : 'cpu';
}

export function saveBackendChoice(choice: BackendPreference): void {
  write(BACKEND_KEY, choice);
}
