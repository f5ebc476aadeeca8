/**
 * Everything the trainer worker holds, as a plain object (so Node tests can drive it without a
 * Worker): one NetworkSession per network slot (`mlp`, `cnn`, `rnn`), the stored MNIST digits, and
 * what the networks share — the kernels (switchable) and the saved models. trainer.worker.ts exposes
 * it grouped the same way (api.ts).
 */
import type { Backend } from '../src/kernels/backend';
import type { TransportFactory } from '../src/train/data-parallel';
import type { BackendNetwork, BackendPreference, BackendSelection, StartupState } from './api';
import { SwitchableBackend, type BackendFactories } from './backend-switch';
import { CnnSession } from './session-cnn';
import { digitDatasets, MlpSession } from './session-mlp';
import { SessionContext } from './session-network';
import { RnnSession } from './session-rnn';

export { SAVED_MODEL_KEY, SAVED_MODEL_KEYS, slotOfKind } from './model-slots';

export class TrainerSession {
  private readonly context: SessionContext;
  readonly digits = digitDatasets;
  readonly mlp: MlpSession;
  readonly cnn: CnnSession;
  readonly rnn: RnnSession;

  /** `factories`: how WebGL2 is made when the page asks for it (tests inject failing ones). */
  constructor(
    backend: Backend,
    kernelsLabel: string = backend.name,
    private readonly kernelsFallback: string | null = null,
    factories?: BackendFactories,
  ) {
    const kernels = new SwitchableBackend({ backend, label: kernelsLabel, fallbackReason: kernelsFallback }, factories);
    this.context = new SessionContext(kernels);
    this.mlp = new MlpSession(this.context);
    this.cnn = new CnnSession(this.context);
    this.rnn = new RnnSession(this.context);
  }

  /** Data-parallel helpers (Workers sharing memory), set by the worker script where the page allows them. */
  get gradientTransport(): TransportFactory | null {
    return this.context.gradientTransport;
  }

  set gradientTransport(transport: TransportFactory | null) {
    this.context.gradientTransport = transport;
  }

  /** The kernels every network runs on now (setBackend switches them). */
  get backend(): Backend {
    return this.context.backend;
  }

  /** Restores every network's saved model and lists the stored digits. */
  async init(): Promise<StartupState> {
    let warning = await this.context.slots.restoreAll();
    if (this.kernelsFallback) {
      const note = `Training on ${this.context.kernels.label} (${this.kernelsFallback}).`;
      warning = warning ? `${warning} ${note}` : note;
    }
    return { datasets: await this.digits.list(), model: this.mlp.summary(), warning, kernels: this.context.kernels.label };
  }

  /** Switches the kernels (backend-switch.ts), moving every network's model onto them; refused while training. */
  async setBackend(choice: BackendPreference, network: BackendNetwork = 'mlp'): Promise<BackendSelection> {
    await this.context.ready();
    this.context.refuseWhileTraining('switch the kernels');
    return this.context.kernels.switchTo(choice, network, this.context.slots.models);
  }
}
