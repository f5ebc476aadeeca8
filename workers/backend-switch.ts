/**
 * The page's kernel choice, worker side: which backend a preference resolves to (Auto times both
 * on the current network), and moving live models onto it without losing a weight.
 */
import type { Backend } from '../src/kernels/backend';
import type { BackendChoice } from '../src/kernels/choose';
import { WebGl2Backend } from '../src/kernels/webgl2';
import { modelFromWeights } from '../src/nn/models';
import type { Model } from '../src/nn/types';
import { weightFileOf } from '../src/train/weights';
import type { BackendNetwork, BackendPreference, BackendSelection } from './api';
import { timeTraining, type TrainingSpeed } from './backend-timing';

/** How the worker makes a GPU backend; tests inject failing or fake ones. */
export interface BackendFactories {
  /** Throws (e.g. WebGl2UnavailableError) when the browser cannot run WebGL2 with float render targets. */
  webgl2(): Backend;
}

export const BROWSER_FACTORIES: BackendFactories = { webgl2: () => WebGl2Backend.open() };

export const WEBGL2_LABEL = 'WebGL2';

/** The backend every network runs on, with its name for the page. */
export interface ActiveBackend {
  backend: Backend;
  label: string;
}

export type SpeedTimer = (backend: Backend, network: BackendNetwork) => Promise<TrainingSpeed>;

const NETWORK_NAMES: Record<BackendNetwork, string> = { mlp: 'the MLP', cnn: 'the CNN', rnn: 'the BiGRU' };

const rate = (x: number): string => Math.round(x).toLocaleString('en-US');

/**
 * Resolves preferences to backends, creating each at most once: a browser allows only a few live
 * WebGL contexts, so the WebGL2 backend (or the reason it cannot exist) is kept for the next switch.
 */
export class BackendSwitcher {
  private glBackend: Backend | null = null;
  private glError: string | null = null;

  constructor(
    private readonly cpuChoice: BackendChoice,
    private readonly factories: BackendFactories = BROWSER_FACTORIES,
    private readonly timer: SpeedTimer = timeTraining,
  ) {}

  /** The CPU backend as the worker started with it. */
  get cpu(): ActiveBackend {
    return { backend: this.cpuChoice.backend, label: this.cpuChoice.label };
  }

  async resolve(choice: BackendPreference, network: BackendNetwork): Promise<{ active: ActiveBackend; selection: BackendSelection }> {
    if (choice !== 'auto' && choice !== 'cpu' && choice !== 'webgl2') {
      throw new Error(`Unknown kernels "${String(choice)}": choose auto, cpu or webgl2`);
    }
    const cpu = this.cpu;
    const cpuNote = this.cpuChoice.fallbackReason ? ` (WebAssembly SIMD unavailable: ${this.cpuChoice.fallbackReason})` : '';
    if (choice === 'cpu') return this.pick(choice, cpu, `CPU: ${cpu.label}${cpuNote}`, false);
    const gl = this.webgl2();
    if ('error' in gl) {
      const prefix = choice === 'auto' ? 'Auto: ' : '';
      return this.pick(choice, cpu, `${prefix}WebGL2 cannot run here (${gl.error}); using ${cpu.label}${cpuNote}`, true);
    }
    if (choice === 'webgl2') return this.pick(choice, gl, `WebGL2: the GPU runs every kernel (fragment shaders)`, false);
    return this.autoPick(network, gl, cpu);
  }

  private async autoPick(network: BackendNetwork, gl: ActiveBackend, cpu: ActiveBackend): Promise<{ active: ActiveBackend; selection: BackendSelection }> {
    let glSpeed: TrainingSpeed;
    try {
      glSpeed = await this.timer(gl.backend, network);
    } catch (err) {
      return this.pick('auto', cpu, `Auto: WebGL2 failed a training step (${messageOf(err)}); using ${cpu.label}`, true);
    }
    const cpuSpeed = await this.timer(cpu.backend, network);
    const winner = glSpeed.examplesPerSec > cpuSpeed.examplesPerSec ? gl : cpu;
    const figures = `WebGL2 ${rate(glSpeed.examplesPerSec)} vs ${cpu.label} ${rate(cpuSpeed.examplesPerSec)} examples/s training ${NETWORK_NAMES[network]}`;
    return this.pick('auto', winner, `Auto: ${figures}; using ${winner.label}`, false);
  }

  private pick(choice: BackendPreference, active: ActiveBackend, reason: string, fallback: boolean) {
    return { active, selection: { choice, label: active.label, reason, fallback } };
  }

  private webgl2(): ActiveBackend | { error: string } {
    if (this.glBackend) return { backend: this.glBackend, label: WEBGL2_LABEL };
    if (this.glError) return { error: this.glError };
    try {
      this.glBackend = this.factories.webgl2();
      return { backend: this.glBackend, label: WEBGL2_LABEL };
    } catch (err) {
      this.glError = messageOf(err);
      return { error: this.glError };
    }
  }
}

/**
 * The session's backend: what every network runs on now, switched one switch at a time. Work that
 * builds or runs a model waits for `ready()`, so nothing lands on a backend that is being left.
 */
export class SwitchableBackend {
  private active: ActiveBackend;
  private switching: Promise<BackendSelection> | null = null;
  private readonly switcher: BackendSwitcher;

  constructor(cpuChoice: BackendChoice, factories?: BackendFactories, timer?: SpeedTimer) {
    this.switcher = new BackendSwitcher(cpuChoice, factories, timer);
    this.active = this.switcher.cpu;
  }

  get backend(): Backend {
    return this.active.backend;
  }

  get label(): string {
    return this.active.label;
  }

  get isSwitching(): boolean {
    return this.switching !== null;
  }

  /** Resolves once no switch is under way (at once when none is). */
  async ready(): Promise<void> {
    while (this.switching) await this.switching.catch(() => undefined);
  }

  /** Resolves the choice and moves every held model onto its backend; the caller refuses while training. */
  async switchTo<K, T extends HeldModel>(choice: BackendPreference, network: BackendNetwork, held: Map<K, T>): Promise<BackendSelection> {
    // Claimed synchronously (a switch already under way goes first), so work that checks ready()
    // after this call waits for this switch.
    const previous = this.switching?.catch(() => undefined) ?? Promise.resolve();
    const switching = previous.then(() => this.resolveAndMove(choice, network, held));
    this.switching = switching;
    try {
      return await switching;
    } finally {
      if (this.switching === switching) this.switching = null;
    }
  }

  private async resolveAndMove<K, T extends HeldModel>(choice: BackendPreference, network: BackendNetwork, held: Map<K, T>): Promise<BackendSelection> {
    const { active, selection } = await this.switcher.resolve(choice, network);
    await moveModels(held, active.backend);
    this.active = active;
    return selection;
  }
}

/** What moveModels needs of a held model: the model and what its weight file carries. */
export interface HeldModel {
  model: Model;
  classes: string[];
  metrics: Record<string, unknown>;
}

/**
 * Rebuilds every held model on `target` from its own weights (read back, loaded into a fresh model)
 * and disposes the old one. All are built before any is replaced: if one fails, the new ones are
 * disposed and every held model stays as it was.
 */
export async function moveModels<K, T extends HeldModel>(held: Map<K, T>, target: Backend): Promise<void> {
  const moved = new Map<K, Model>();
  try {
    for (const [key, current] of held) {
      if (current.model.backend === target) continue;
      const file = await weightFileOf(current.model, current.classes, current.metrics);
      moved.set(key, modelFromWeights(target, file));
    }
  } catch (err) {
    for (const model of moved.values()) model.dispose();
    throw new Error(`Could not move the models to the new kernels: ${messageOf(err)}`);
  }
  for (const [key, model] of moved) {
    const current = held.get(key)!;
    const old = current.model;
    held.set(key, { ...current, model });
    old.dispose();
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
