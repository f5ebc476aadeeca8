import { longestOf } from '../cpu/gru';
import type { GruDims } from '../validate-gru';
import type { WasmGemm } from './gemm';
import { align16, type WasmHeap } from './heap';
import type { GruExports } from './module';

/** Byte offsets of the GRU tensors in linear memory (forward). */
export interface GruForwardOffsets {
  xProj: number; whh: number; bhh: number; lengths: number; hAll: number; cache: number; hLast: number;
}

/** Byte offsets of the GRU tensors in linear memory (backward). */
export interface GruBackwardOffsets {
  whh: number; lengths: number; hAll: number; cache: number; dhAll: number; dhLast: number;
  dxProj: number; dwhh: number; dbhh: number;
}

/**
 * The GRU recurrence on tensors in linear memory: per step one SIMD GEMM (h·W_hhᵀ forward,
 * dGates·W_hh backward) against W_hh packed once per pass, and one wasm call for the gate math of
 * the whole batch (assembly/gru.as), with the carried state, gate buffers and packed W_hh in the
 * heap's scratch block. Same algorithm and padding rules as cpu/gru.ts, including one
 * [3H, T·B]·[T·B, H] GEMM for dW_hh at the end; steps past the batch's longest sequence (the
 * time-bucket padding) skip their GEMMs.
 */
export class WasmGru {
  constructor(private readonly gemm: WasmGemm, private readonly k: GruExports, private readonly heap: WasmHeap) {}

  forward(o: GruForwardOffsets, reverse: boolean, d: GruDims): void {
    const { steps, batch: B, hidden: H } = d;
    const stateBytes = align16(4 * B * H), gatesBytes = align16(4 * B * 3 * H);
    const packedBytes = this.gemm.packedBBytes(3 * H, H);
    const state = this.heap.scratch(stateBytes + gatesBytes + packedBytes + this.gemm.packedABytes(B, H));
    const gates = state + stateBytes, packedWhh = gates + gatesBytes, packAt = packedWhh + packedBytes;
    this.heap.f32.fill(0, state >>> 2, (state >>> 2) + B * H);
    this.gemm.packB(o.whh, 3 * H, H, true, packedWhh);
    const longest = longestOf(this.heap.f32, B, o.lengths >>> 2);
    for (let i = 0; i < steps; i++) {
      const t = reverse ? steps - 1 - i : i;
      // A step past every sequence's end only clears its rows: its gates are never read.
      if (t < longest) this.gemm.runPackedB(state, packedWhh, gates, B, 3 * H, H, false, false, packAt);
      this.k.gruForwardStep(o.xProj, gates, o.bhh, state, o.hAll, o.cache, o.lengths, t, B, H);
    }
    this.k.gruLastState(o.hAll, o.lengths, o.hLast, B, H, +reverse);
  }

  backward(o: GruBackwardOffsets, reverse: boolean, d: GruDims): void {
    const { steps, batch: B, hidden: H } = d;
    const width = 3 * H;
    const dHBytes = align16(4 * B * H), gatesBytes = align16(4 * B * width), historyBytes = align16(4 * steps * B * width);
    const packedBytes = this.gemm.packedBBytes(H, width);
    const packing = Math.max(this.gemm.packedABytes(B, width), this.gemm.packingBytes(width, H, steps * B));
    const dH = this.heap.scratch(dHBytes + gatesBytes + historyBytes + packedBytes + packing);
    const dGates = dH + dHBytes, history = dGates + gatesBytes, packedWhh = history + historyBytes, packAt = packedWhh + packedBytes;
    const f32 = this.heap.f32;
    f32.fill(0, dH >>> 2, (dH >>> 2) + B * H);
    this.gemm.packB(o.whh, H, width, false, packedWhh);
    const longest = longestOf(this.heap.f32, B, o.lengths >>> 2);
    // History slot s pairs a step's gate gradients with hAll[s], that step's previous state. The
    // slot no step writes (the last for forward, the first for reverse) stays zero.
    const unused = reverse ? 0 : steps - 1;
    if (steps > 0) f32.fill(0, (history >>> 2) + unused * B * width, (history >>> 2) + (unused + 1) * B * width);
    for (let i = 0; i < steps; i++) {
      const t = reverse ? i : steps - 1 - i;
      const slot = reverse ? t + 1 : t - 1;
      const hasSlot = slot >= 0 && slot < steps;
      this.k.gruBackwardStep(
        o.cache, o.hAll, o.dhAll, o.dhLast, o.lengths, dH, dGates, history, o.dxProj, o.dbhh,
        t, hasSlot ? slot : -1, B, H, +reverse,
      );
      // Without a slot every real sequence is at its first step: its h0 = 0 takes no gradient.
      // Past every sequence's end dGates is all zeros: nothing to add.
      if (hasSlot && t < longest) this.gemm.runPackedB(dGates, packedWhh, dH, B, H, width, false, true, packAt);
    }
    // Slots from the longest sequence's length on pair zeros with zero states: no dW_hh term.
    const usedSlots = Math.min(steps, longest);
    this.gemm.runInMemory(history, o.hAll, o.dwhh, width, H, usedSlots * B, true, false, true, packAt);
  }
}
