/// <reference lib="webworker" />
/**
 * A data-parallel gradient helper: builds a replica of the leader's model, then, every time the
 * leader bumps the generation word, loads the shared weights, computes the gradient of its batch
 * slice into its shared slot and signals done. It blocks in Atomics.wait between steps (a worker
 * may), so after init it takes no more messages; the leader ends it with CMD_QUIT or terminate().
 */
import { chooseCpuBackend } from '../src/kernels/choose';
import { SliceHelper, type SliceData, type SliceJob, type SliceOutcome } from '../src/train/data-parallel-slice';
import {
  CMD_EVAL, CMD_QUIT, COMMAND, GENERATION, doneIndex, jobIndex, type GradHelperInit, type GradHelperReply,
} from './grad-protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (e: MessageEvent<GradHelperInit>) => {
  scope.onmessage = null;
  let helper: SliceHelper;
  let kernels: string;
  try {
    const choice = chooseCpuBackend();
    kernels = choice.label;
    helper = new SliceHelper(choice.backend, e.data.replica);
  } catch (err) {
    scope.postMessage({ ready: false, error: err instanceof Error ? err.message : String(err) } satisfies GradHelperReply);
    return;
  }
  scope.postMessage({ ready: true, kernels } satisfies GradHelperReply);
  // Let the ready message leave before this worker starts blocking.
  setTimeout(() => serve(e.data, helper), 0);
};

function serve(init: GradHelperInit, helper: SliceHelper): void {
  const control = new Int32Array(init.control);
  const weights = new Float32Array(init.weights);
  const b = init.buffers;
  const data: SliceData = {
    x: new Float32Array(b.x),
    labels: new Float32Array(b.labels),
    lengths: b.lengths ? new Float32Array(b.lengths) : null,
  };
  const grads = new Float32Array(b.grads);
  const outcome = new Float64Array(b.outcome);
  const header = jobIndex(init.helpers, init.helper);
  // Generation 0 is the pool's start: the leader may already have started step 1 by now.
  let seen = 0;
  for (;;) {
    Atomics.wait(control, GENERATION, seen);
    seen = Atomics.load(control, GENERATION);
    const command = Atomics.load(control, COMMAND);
    if (command === CMD_QUIT) break;
    const job = {
      offset: control[header], rows: control[header + 1], total: control[header + 2], steps: control[header + 3],
    };
    try {
      const r = command === CMD_EVAL ? evaluate(helper, weights, job, data, grads) : helper.run(weights, job, data, grads);
      outcome[0] = r.loss;
      outcome[1] = r.correct;
      outcome[2] = 0;
    } catch (err) {
      console.error('scratchnet gradient helper:', err);
      outcome[2] = 1;
    }
    Atomics.store(control, doneIndex(init.helper), seen);
    Atomics.notify(control, doneIndex(init.helper));
  }
  helper.dispose();
  scope.close();
}

/** An evaluation's slice: probabilities into the gradient slot; no loss or count to report. */
function evaluate(helper: SliceHelper, weights: Float32Array, job: SliceJob, data: SliceData, out: Float32Array): SliceOutcome {
  helper.evaluate(weights, job, data, out);
  return { loss: 0, correct: 0 };
}
