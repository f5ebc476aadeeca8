/**
 * The activation registry: one table every layer reads (backend.ts's ActivationKind, validation,
 * the CPU/WASM/WebGL2 kernels, nn's layers and init, the MLP settings). A new activation is one
 * file beside these (an ActivationSpec) plus its line in BUILT_IN.
 */
import { identity } from './identity';
import { leakyRelu } from './leaky-relu';
import { relu } from './relu';
import { sigmoid } from './sigmoid';
import type { ActivationSpec } from './spec';
import { tanh } from './tanh';

export type { ActivationSpec, InitFamily } from './spec';
export { sigmoidOf } from './sigmoid';

const BUILT_IN = {
  relu, leaky_relu: leakyRelu, tanh, sigmoid, identity,
} as const satisfies Record<string, ActivationSpec>;

export type ActivationKind = keyof typeof BUILT_IN;

const registry = new Map<string, ActivationSpec>(Object.entries(BUILT_IN));

/**
 * Adds an activation at run time (one outside BUILT_IN, such as a test's): every backend runs it
 * from then on; its kind is not in the ActivationKind type, so callers cast its name.
 */
export function registerActivation(spec: ActivationSpec): void {
  const known = registry.get(spec.name);
  if (known !== undefined && known !== spec) throw new Error(`activation '${spec.name}' is already registered`);
  registry.set(spec.name, spec);
}

export function isActivationKind(kind: unknown): kind is ActivationKind {
  return typeof kind === 'string' && registry.has(kind);
}

/** Every registered kind, in registration order. */
export function activationKinds(): ActivationKind[] {
  return [...registry.keys()] as ActivationKind[];
}

/** The activations a hidden layer can use: all but the identity. */
export function hiddenActivationKinds(): Exclude<ActivationKind, 'identity'>[] {
  return activationKinds().filter((k): k is Exclude<ActivationKind, 'identity'> => k !== 'identity');
}

export function activationSpec(kind: ActivationKind): ActivationSpec {
  const spec = registry.get(kind);
  if (spec === undefined) {
    throw new Error(`unknown activation '${String(kind)}' (expected ${[...registry.keys()].join(', ')})`);
  }
  return spec;
}
