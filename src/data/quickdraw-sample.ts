/**
 * The bundled Quick, Draw! sample (public/quickdraw-sample/): the first drawings of each of the 10
 * animal classes, split train/dev/test exactly as the folder loaders split the same drawings.
 */
import { QUICKDRAW_DEFAULT_SPLIT, QUICKDRAW_DEFAULT_SPLIT_SEED, SEQUENCE_SPLITS, splitOf } from './quickdraw-common';
import type { QuickDrawSample } from './quickdraw-sample-format';
import { SequenceBuilder } from './quickdraw-shard';
import type { SequenceSet, SequenceSplitName } from './types';

export { decodeQuickDrawSample, encodeQuickDrawSample, type QuickDrawSample } from './quickdraw-sample-format';

/** Drawings per class in the committed sample (scripts/build-quickdraw-sample.mjs). */
export const QUICKDRAW_SAMPLE_PER_CLASS = 1000;
/** Where the sample is served, relative to the site's base URL. */
export const QUICKDRAW_SAMPLE_PATH = 'quickdraw-sample/animals.snqd';
export const QUICKDRAW_SAMPLE_ID = 'quickdraw-sample';
export const QUICKDRAW_SAMPLE_ATTRIBUTION = 'Quick, Draw! data © Google, CC BY 4.0';

/**
 * Train, dev and test sets of a sample (the first `perClass` drawings of each class, default all):
 * drawing k of class c goes where splitOf(c, k) says, as in every other Quick Draw loader.
 */
export function splitQuickDrawSample(sample: QuickDrawSample, perClass = Infinity): Record<SequenceSplitName, SequenceSet> {
  const builders = { train: new SequenceBuilder(), dev: new SequenceBuilder(), test: new SequenceBuilder() };
  sample.perClass.forEach((block, c) => {
    for (let k = 0; k < Math.min(block.count, perClass); k++) {
      builders[splitOf(sample.classes[c], k, QUICKDRAW_DEFAULT_SPLIT_SEED, QUICKDRAW_DEFAULT_SPLIT)].addFrom(block, k);
    }
  });
  const [train, dev, test] = SEQUENCE_SPLITS.map((s) => builders[s].toSet(sample.classes));
  return { train, dev, test };
}

