/**
 * The kernel choice (Auto / CPU / WebGL2), shared by every page: its own small store, because the
 * worker and its backend are shared while each page keeps a store of its own. The choice is saved
 * in localStorage and applied before the pages boot, so restored models load straight onto it.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { BackendNetwork, BackendPreference, BackendSelection, TrainerApi } from '../../workers/api';
import { savedBackendChoice, saveBackendChoice } from './preferences';
import { setStatus, type AppStore } from './page-state';
import { messageOf } from './format';

export const BACKEND_CHOICES: readonly { value: BackendPreference; label: string; title: string }[] = [
  { value: 'auto', label: 'Auto', title: 'Time a few training steps on each and use the faster' },
  { value: 'cpu', label: 'CPU', title: 'WebAssembly SIMD (typed arrays where SIMD is missing)' },
  { value: 'webgl2', label: 'WebGL2', title: 'The GPU, through WebGL2 fragment shaders' },
];

export interface BackendState {
  /** What the select shows: the last accepted choice (or the one being applied). */
  choice: BackendPreference;
  /** The kernels in use, once the worker said. */
  label: string | null;
  /** Which kernels run and why (test id `backend-note`). */
  note: string | null;
  switching: boolean;
  /** The choice wanted WebGL2 and fell back to the CPU. */
  fallback: boolean;
}

export type BackendStore = StoreApi<BackendState>;

export function createBackendStore(choice: BackendPreference = savedBackendChoice()): BackendStore {
  return createStore<BackendState>()(() => ({ choice, label: null, note: null, switching: false, fallback: false }));
}

const NETWORK_NAMES: Record<BackendNetwork, string> = { mlp: 'MLP', cnn: 'CNN', rnn: 'BiGRU' };

type BackendApi = { setBackend(...args: Parameters<TrainerApi['setBackend']>): Promise<BackendSelection> };

export class BackendController {
  constructor(
    private readonly api: BackendApi,
    private readonly store: BackendStore,
  ) {}

  /** Applies the saved choice before anything else talks to the worker; never throws (the CPU stays). */
  async boot(network: BackendNetwork): Promise<void> {
    try {
      await this.apply(this.store.getState().choice, network);
    } catch (err) {
      this.store.setState({ choice: 'cpu', note: `Kept the CPU kernels: ${messageOf(err)}`, switching: false });
    }
  }

  /**
   * The select's action on the page showing `page`: refused while that page trains; otherwise the
   * worker switches (refusing itself while another page trains) and moves every model across.
   */
  async choose(choice: BackendPreference, network: BackendNetwork, page: AppStore | null): Promise<void> {
    const state = this.store.getState();
    if (state.switching) return;
    if (page && page.getState().phase !== 'idle') {
      setStatus(page, 'Stop training before switching the kernels: the run keeps the kernels it started on', 'error');
      return;
    }
    const previous = state.choice;
    try {
      const selection = await this.apply(choice, network);
      saveBackendChoice(choice);
      if (page) setStatus(page, selection.fallback ? selection.reason : `${selection.reason}. Your models came along.`, selection.fallback ? 'error' : 'success');
    } catch (err) {
      this.store.setState({ choice: previous, switching: false });
      if (page) setStatus(page, `Could not switch the kernels: ${messageOf(err)}`, 'error');
    }
  }

  private async apply(choice: BackendPreference, network: BackendNetwork): Promise<BackendSelection> {
    const timing = choice === 'auto' ? `Auto: timing a few ${NETWORK_NAMES[network]} training steps on WebGL2 and on the CPU…` : null;
    this.store.setState((s) => ({ choice, switching: true, note: timing ?? s.note }));
    const selection = await this.api.setBackend(choice, network);
    this.store.setState({ choice, label: selection.label, note: selection.reason, switching: false, fallback: selection.fallback });
    return selection;
  }
}
