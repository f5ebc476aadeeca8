import type { ActivationKind } from '../../activations';
import { PRELUDE, type GlEngine } from '../engine';
import type { GlTensor } from '../tensor';
import type { GlTexture } from '../textures';
import { activationFunctions, activationOfV, activationPass, programsByKind } from './elementwise';
import {
  READ_BLOCKS, bindBlocks, fitsWhole, matmulPass, multiplyIntoBlocks, releaseBlocks, type MatmulDims,
} from './matmul';
import { addRowVectorPass } from './rows';

/**
 * A dense layer's forward, f(x·Wᵀ + b): the matmul's unpack pass, which reads every element of
 * the block product once anyway, also adds the bias and applies the activation. That saves the
 * two passes over the output (bias, then activation) an unfused layer pays on every forward:
 * on a software rasterizer each pass costs a fixed setup on top of its texel work.
 */
const epilogueSource = (kind: ActivationKind): string => `${PRELUDE}${activationFunctions(kind)}${READ_BLOCKS}
uniform int u_m, u_n;
uniform sampler2D u_bias;
void main() {
  int o = outIndex();
  int r = o / u_n;
  if (r >= u_m) { o_color = vec4(0.0); return; }
  int c = o - r * u_n;
  float v = blockAt(r, c) + fetchFlat(u_bias, c);
  o_color = vec4(${activationOfV(kind)}, 0.0, 0.0, 0.0);
}`;

const epilogueProgram = programsByKind('linear:unpack', epilogueSource);

/** Reused holder of the block product (no array per call). */
const blocks: GlTexture[] = [];

/** out[M,N] = f(x[M,K]·w[N,K]ᵀ + bias[N]); d describes x·wᵀ (transB, no accumulation). */
export function linearPass(
  e: GlEngine, x: GlTensor, w: GlTensor, bias: GlTensor, out: GlTensor, d: MatmulDims, kind: ActivationKind, slope: number,
): void {
  if (!fitsWhole(e, d)) {
    // A product past the texture size goes tile by tile; the epilogue then runs as its own passes.
    matmulPass(e, x, w, out, d);
    addRowVectorPass(e, out, bias, out, d.n);
    activationPass(e, kind, out, out, slope);
    return;
  }
  multiplyIntoBlocks(e, x, w, d, blocks);
  const program = epilogueProgram(kind);
  bindBlocks(e.use(program.key, program.source), blocks).tex('u_bias', bias)
    .int('u_m', d.m).int('u_n', d.n).float('u_slope', slope).drawTo(out);
  releaseBlocks(e, blocks);
}
