import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { BackendSelection } from '../../workers/api';
import { BackendController, createBackendStore } from './kernel-choice';
import { savedBackendChoice } from './preferences';
import { createAppStore } from './page-state';

const memory = new Map<string, string>();
vi.stubGlobal('localStorage', {
  getItem: (k: string) => memory.get(k) ?? null,
  setItem: (k: string, v: string) => void memory.set(k, v),
});

const GL: BackendSelection = { choice: 'webgl2', label: 'WebGL2', reason: 'WebGL2: the GPU runs every kernel (fragment shaders)', fallback: false };

describe('BackendController', () => {
  beforeEach(() => memory.clear());

  it('applies the saved choice at boot, then switches on request and remembers it', async () => {
    const setBackend = vi.fn(async (choice: string): Promise<BackendSelection> =>
      choice === 'cpu' ? { choice: 'cpu', label: 'WebAssembly SIMD', reason: 'CPU: WebAssembly SIMD', fallback: false } : GL);
    const store = createBackendStore();
    expect(store.getState().choice).toBe('cpu');
    const controller = new BackendController({ setBackend }, store);
    await controller.boot('mlp');
    expect(setBackend).toHaveBeenLastCalledWith('cpu', 'mlp');
    expect(store.getState()).toMatchObject({ label: 'WebAssembly SIMD', note: 'CPU: WebAssembly SIMD', switching: false });

    const page = createAppStore();
    await controller.choose('webgl2', 'cnn', page);
    expect(setBackend).toHaveBeenLastCalledWith('webgl2', 'cnn');
    expect(store.getState()).toMatchObject({ choice: 'webgl2', label: 'WebGL2', fallback: false });
    expect(page.getState().status).toEqual({ text: `${GL.reason}. Your models came along.`, kind: 'success' });
    expect(savedBackendChoice()).toBe('webgl2');
    expect(createBackendStore().getState().choice).toBe('webgl2');
  });

  it('refuses while the page trains, and keeps the old choice when the worker refuses', async () => {
    const setBackend = vi.fn(async (): Promise<BackendSelection> => {
      throw new Error('Training is running: stop it before you switch the kernels');
    });
    const store = createBackendStore('cpu');
    const controller = new BackendController({ setBackend }, store);
    const page = createAppStore();
    page.setState({ phase: 'running' });
    await controller.choose('webgl2', 'mlp', page);
    expect(setBackend).not.toHaveBeenCalled();
    expect(page.getState().status.text).toMatch(/^Stop training before switching the kernels/);

    page.setState({ phase: 'idle' });
    await controller.choose('auto', 'mlp', page);
    expect(store.getState()).toMatchObject({ choice: 'cpu', switching: false });
    expect(page.getState().status).toEqual({ text: 'Could not switch the kernels: Training is running: stop it before you switch the kernels', kind: 'error' });
    expect(savedBackendChoice()).toBe('cpu');
  });

  it('shows a fallback as an error in the status line and the note', async () => {
    const reason = 'WebGL2 cannot run here (float render targets (EXT_color_buffer_float) are not available); using WebAssembly SIMD';
    const controller = new BackendController({ setBackend: async () => ({ choice: 'webgl2', label: 'WebAssembly SIMD', reason, fallback: true }) }, createBackendStore('cpu'));
    const page = createAppStore();
    await controller.choose('webgl2', 'rnn', page);
    expect(page.getState().status).toEqual({ text: reason, kind: 'error' });
  });
});
