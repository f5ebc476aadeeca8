import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DatasetInfo } from '../../workers/api';
import type { TrainerRemote } from './network-controller';
import { PlaygroundController } from './playground-controller';
import { initialMnistBase, saveMnistBase } from './preferences';
import { DEFAULT_MNIST_BASE, createAppStore } from './page-state';

/** localStorage as the browser has it, over a Map. */
function fakeStorage(): Storage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    get length() { return data.size; },
    clear: () => data.clear(),
    getItem: (k: string) => data.get(k) ?? null,
    key: (i: number) => [...data.keys()][i] ?? null,
    removeItem: (k: string) => void data.delete(k),
    setItem: (k: string, v: string) => void data.set(k, String(v)),
  };
}

describe('the MNIST download base from a link', () => {
  let storage: ReturnType<typeof fakeStorage>;
  beforeEach(() => {
    storage = fakeStorage();
    vi.stubGlobal('localStorage', storage);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('is used for the visit that opened the link, and not remembered for later visits', () => {
    expect(initialMnistBase('?mnistBase=https://elsewhere.example/mnist/')).toBe('https://elsewhere.example/mnist/');
    expect(storage.data.size).toBe(0);
    expect(initialMnistBase('')).toBe(DEFAULT_MNIST_BASE);
  });

  it('does not replace what the user saved before', () => {
    saveMnistBase('http://localhost:8000/mnist/');
    expect(initialMnistBase('?mnistBase=https://elsewhere.example/mnist/')).toBe('https://elsewhere.example/mnist/');
    expect(initialMnistBase('')).toBe('http://localhost:8000/mnist/');
  });

  it('is remembered once the user loads MNIST from it', async () => {
    const store = createAppStore(initialMnistBase('?mnistBase=https://elsewhere.example/mnist/'));
    const info: DatasetInfo = { id: 'mnist-full', name: 'MNIST', source: '', classes: [], trainCount: 1, testCount: 1, complete: true };
    const api = {
      digits: { loadRemote: vi.fn(async () => info), list: vi.fn(async () => [info]) }, mlp: { selectDataset: vi.fn(async () => info) },
    };
    const controller = new PlaygroundController(api as unknown as TrainerRemote, store, { pageBase: '', download: vi.fn() });
    expect(initialMnistBase('')).toBe(DEFAULT_MNIST_BASE);
    await controller.loadFullMnist();
    expect(api.digits.loadRemote).toHaveBeenCalledWith('https://elsewhere.example/mnist/', expect.anything());
    expect(initialMnistBase('')).toBe('https://elsewhere.example/mnist/');
  });
});
