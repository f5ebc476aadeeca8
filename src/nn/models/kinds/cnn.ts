import type { Backend } from '../../../kernels/backend';
import { SoftmaxCrossEntropy, type ClassifierLoss, type LossOptions } from '../../loss';
import { DigitMarginalLoss } from '../../loss-digit-marginals';
import { TwoHeadLoss } from '../../loss-two-head';
import type { CnnConfig } from '../../types';
import { CnnModel, cnnTensorShapes, resolveCnnConfig, type CnnKind, type ResolvedCnnConfig } from '../cnn';
import { cnnConfigFromWeights } from '../cnn-weights';
import { convOutSize } from '../../layers/conv2d';
import type { ActivationFootprint, ModelKindSpec, ModelWeights } from '../kind-spec';
import { SPEC_LIMITS, atMost, checkClasses } from '../limits';

/** Digits per head of cnn2head (tens, ones). */
const DIGITS = 10;

function configFromWeights(kind: CnnKind, w: ModelWeights): ResolvedCnnConfig {
  const channels = w.config?.channels;
  if (Array.isArray(channels)) atMost(kind, 'the number of conv blocks', channels.length, SPEC_LIMITS.layers);
  const config = resolveCnnConfig(kind, cnnConfigFromWeights(kind, w.config, w.classes, w.tensors));
  config.channels.forEach((c, i) => atMost(kind, `channels[${i}]`, c, SPEC_LIMITS.width));
  config.inputShape.forEach((d, i) => atMost(kind, `input dimension ${i}`, d, SPEC_LIMITS.width));
  atMost(kind, 'fc', config.fc, SPEC_LIMITS.width);
  atMost(kind, 'padding', config.padding, SPEC_LIMITS.padding);
  checkClasses(kind, config.outputSize);
  const { largestMap } = cnnTensorShapes(kind, config);
  atMost(kind, 'the largest feature map (values per example)', largestMap, SPEC_LIMITS.featureMap);
  return config;
}

/**
 * cnn2head learns each digit with its own head; the 100-way cnn adds the digit marginals' terms
 * when the run asks for them (λ > 0), which needs its classes to be the numbers 00–99.
 */
function cnnLoss(kind: CnnKind, backend: Backend, config: ResolvedCnnConfig, options: LossOptions): ClassifierLoss {
  const { smoothing = 0, digitLoss = 0 } = options;
  if (kind === 'cnn2head') return new TwoHeadLoss(backend, DIGITS, smoothing);
  if (!(digitLoss > 0)) return new SoftmaxCrossEntropy(backend, config.outputSize, smoothing);
  if (config.outputSize !== DIGITS * DIGITS) {
    throw new Error(`the digit loss needs the ${DIGITS * DIGITS} classes 00–99 (two digits), but this cnn has ${config.outputSize} outputs`);
  }
  return new DigitMarginalLoss(backend, DIGITS, digitLoss, smoothing);
}

/**
 * The input and its reshape; per block conv y and dx (not the first), pool y, argmax and dx, ReLU y
 * and dx; then the flatten's two copies, fc1 (y, fused gradient, dx), dropout, the output layer(s)
 * (y and dx each; cnn2head's concatenation too) and the loss.
 */
function cnnFootprint(kind: CnnKind, config: ResolvedCnnConfig): ActivationFootprint {
  const { inputShape, channels, padding, fc, dropout, outputSize } = config;
  let [c, h, w] = inputShape;
  let floats = 2 * c * h * w;
  channels.forEach((out, i) => {
    const [ch, cw] = [convOutSize(h, 3, padding), convOutSize(w, 3, padding)];
    const [ph, pw] = [Math.floor(ch / 2), Math.floor(cw / 2)];
    floats += out * ch * cw + (i > 0 ? c * h * w : 0) + 2 * out * ph * pw + out * ch * cw + 2 * out * ph * pw;
    [c, h, w] = [out, ph, pw];
  });
  const flat = c * h * w;
  const twoHeads = kind === 'cnn2head';
  const heads = twoHeads ? [DIGITS, DIGITS] : [outputSize];
  floats += 2 * flat + 2 * fc + flat + (dropout > 0 ? 3 * fc : 0);
  floats += heads.reduce((sum, n) => sum + 2 * n + fc, 0) + (twoHeads ? 2 * 2 * DIGITS + fc : 0);
  return { floatsPerExample: floats + 2 * outputSize };
}

/**
 * The CNN family on paired MNIST (docs/weights.md): `cnn` ends in one 100-way fc2, `cnn2head` in two
 * 10-way heads (tens, ones); everything else they share, so both kinds live here.
 */
function cnnKindSpec(kind: CnnKind): ModelKindSpec<CnnConfig, ResolvedCnnConfig> {
  return {
    kind,
    network: 'cnn',
    resolve: (config) => resolveCnnConfig(kind, config),
    configFromWeights: (w) => configFromWeights(kind, w),
    tensorShapes: (config) => cnnTensorShapes(kind, config).shapes,
    build: (backend, config, seed) => new CnnModel(backend, kind, config, seed),
    // [H, W] images are one channel.
    fitToData: (config, shape, classes) => ({
      ...config,
      inputShape: config.inputShape ?? (shape.length === 2 ? [1, ...shape] : [...shape]),
      outputSize: config.outputSize ?? (classes || 100),
    }),
    input: (config) => ({ kind: 'image', shape: [...config.inputShape] }),
    classCount: (config) => config.outputSize,
    loss: (backend, config, options) => cnnLoss(kind, backend, config, options),
    footprint: (config) => cnnFootprint(kind, config),
    memoryAdvice: 'fewer channels, a smaller fc layer or a smaller batch',
    runTableCells: () => ({ hidden: '', activation: '' }),
    // Its first layer is a convolution: inspection shows its filters and feature maps instead.
    inputWeightImages: () => null,
    describe: (config, _inputs, classes) =>
      `conv ${config.channels.join('→')} (pad ${config.padding}) · fc ${config.fc}` + (kind === 'cnn2head' ? ' · two heads' : ` → ${classes}`),
  };
}

export const CNN_KIND = cnnKindSpec('cnn');
export const CNN2HEAD_KIND = cnnKindSpec('cnn2head');
