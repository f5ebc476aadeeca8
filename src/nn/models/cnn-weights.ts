import type { CnnConfig, NamedArray, StateDict } from '../types';
import type { CnnKind } from './cnn';

function dims(name: string, t: NamedArray | undefined, rank: number): number[] {
  if (!t || t.shape.length !== rank) throw new Error(`${name}: missing or not ${rank}-D in the weight file`);
  return t.shape;
}

/**
 * The CnnConfig of a decoded `cnn` / `cnn2head` weight file: the A1 config JSON (padding, channels,
 * fc, optional dropout), the input channels from conv1's weight, the input size from norm.* when the
 * file has it (else paired MNIST's 28×56), and fc2's classes from the class list. Tensor shapes are
 * checked afterwards by loadStateDict, which names any tensor that does not fit.
 */
export function cnnConfigFromWeights(
  kind: CnnKind, config: Record<string, unknown>, classes: string[], tensors: StateDict,
): CnnConfig {
  const c = config ?? {};
  const [, inC] = dims('conv1.weight', tensors.get('conv1.weight'), 4);
  const norm = tensors.get('norm.mean');
  const [h, w] = norm && norm.shape.length === 3 ? norm.shape.slice(1) : [28, 56];
  const out: CnnConfig = {
    padding: c.padding as number,
    channels: c.channels as number[],
    fc: c.fc as number,
    inputShape: [inC, h, w],
  };
  if (kind === 'cnn') {
    out.outputSize = Array.isArray(classes) && classes.length > 0 ? classes.length : dims('fc2.weight', tensors.get('fc2.weight'), 2)[0];
  }
  return out;
}
