import type { Backend } from '../kernels/backend';
import type { DataParallelPlan, GradientTransport, HelperPort, SliceWork, TransportFactory } from './data-parallel';
import { SliceHelper, type SliceJob, type SliceOutcome } from './data-parallel-slice';

/**
 * Helpers computed one after another on this thread, each on its own backend and replica: the
 * same arithmetic as Worker helpers, without Workers (tests, and environments without them).
 */
export function inProcessTransport(createBackend: () => Backend): TransportFactory {
  return async (plan) => new InProcessTransport(plan, createBackend);
}

class InProcessTransport implements GradientTransport {
  readonly weights: Float32Array;
  readonly ports: HelperPort[];
  private readonly helpers: SliceHelper[];
  private jobs: readonly SliceJob[] = [];
  private work: SliceWork = 'gradients';

  constructor(plan: DataParallelPlan, createBackend: () => Backend) {
    this.weights = new Float32Array(plan.paramValues);
    this.ports = Array.from({ length: plan.helpers }, () => ({
      data: {
        x: new Float32Array(plan.sliceFloats),
        labels: new Float32Array(plan.sliceRows),
        lengths: plan.replica.sequences ? new Float32Array(plan.sliceRows) : null,
      },
      grads: new Float32Array(plan.paramValues),
    }));
    this.helpers = this.ports.map(() => new SliceHelper(createBackend(), plan.replica));
  }

  start(jobs: readonly SliceJob[], work: SliceWork = 'gradients'): void {
    this.jobs = jobs;
    this.work = work;
  }

  async finish(): Promise<SliceOutcome[]> {
    return this.helpers.map((h, i) => {
      const port = this.ports[i];
      if (this.work === 'gradients') return h.run(this.weights, this.jobs[i], port.data, port.grads);
      h.evaluate(this.weights, this.jobs[i], port.data, port.grads);
      return { loss: 0, correct: 0 };
    });
  }

  dispose(): void {
    for (const h of this.helpers) h.dispose();
  }
}
