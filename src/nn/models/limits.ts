/**
 * Limits on what a weight file may declare, checked from its config alone (before anything is
 * allocated). The largest models the recipes train are under 2 M parameters (MLP 784-1024-1024-10
 * ≈ 1.9 M; CNN pad 1, 16-32-256 ≈ 0.8 M). 20 M parameters is 10× that, and with gradients and two
 * Adam moments it is 320 MB of float32: still fits a browser tab.
 */
export const SPEC_LIMITS = {
  parameters: 20_000_000,
  /** Hidden layers (MLP), conv blocks (CNN), GRU layers (RNN). */
  layers: 32,
  /** Any single width: hidden units, channels, fc units, GRU hidden size, input size. */
  width: 1 << 16,
  classes: 10_000,
  /** Values in one example's largest CNN feature map (paired MNIST's largest is 32×28×56 ≈ 50 k). */
  featureMap: 1 << 20,
  padding: 16,
  /** RNN points per drawing (the recipes keep 100–250). */
  maxLen: 10_000,
} as const;

/** Throws the message every limit shares when `value` is over `limit`. */
export function atMost(kind: string, what: string, value: number, limit: number): void {
  if (value > limit) throw new Error(`${kind} config: ${what} is ${value}, the limit is ${limit} (the file is corrupt or hostile)`);
}

export function checkClasses(kind: string, outputs: number): void {
  atMost(kind, 'the number of classes', outputs, SPEC_LIMITS.classes);
}
