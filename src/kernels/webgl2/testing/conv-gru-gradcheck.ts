import { gruCacheShape } from '../../backend';
import type { OpGradProblem } from './op-gradcheck';
import { withScratch } from './op-gradcheck';

/**
 * Problems for opGradcheck covering every CNN and GRU op with a backward:
 *   conv:  x → conv2d(w, bias, pad 1) → maxPool2d → softmax cross-entropy on the pooled map
 *   gru:   xProj → gruForward → CE(hLast) + CE(hAll) (so both dhLast and dhAll carry gradient),
 *          variable lengths including a 0-length sequence
 */
export const CONV_PROBLEM: OpGradProblem = {
  params: [
    { name: 'x', shape: [2, 2, 5, 4] }, { name: 'w', shape: [3, 2, 3, 3] }, { name: 'bias', shape: [3] },
  ],
  fixed: { labels: { shape: [2], values: [4, 9] } },
  run(b, v, loss, grads) {
    withScratch(b, (t) => {
      const y = t([2, 3, 5, 4]), pooled = t([2, 3, 2, 2]), argmax = t([2, 3, 2, 2]);
      const probs = t([2, 3, 2, 2]), dPooled = t([2, 3, 2, 2]), dy = t([2, 3, 5, 4]);
      b.conv2d(v.x, v.w, v.bias, y, 1);
      b.maxPool2d(y, pooled, argmax);
      b.softmaxCrossEntropy(pooled, v.labels, probs, dPooled, loss, 0);
      if (!grads) return;
      b.maxPool2dBackward(dPooled, argmax, dy);
      b.conv2dBackwardWeight(v.x, dy, grads.w, grads.bias, 1);
      b.conv2dBackwardInput(dy, v.w, grads.x, 1);
    });
  },
};

const [T, B, H] = [4, 3, 3];

export function gruProblem(reverse: boolean): OpGradProblem {
  return {
    params: [
      { name: 'xProj', shape: [T * B, 3 * H] }, { name: 'whh', shape: [3 * H, H] }, { name: 'bhh', shape: [3 * H] },
    ],
    fixed: {
      lengths: { shape: [B], values: [4, 2, 0] },
      lastLabels: { shape: [B], values: [0, 2, 1] },
      allLabels: { shape: [T * B], values: Array.from({ length: T * B }, (_, i) => (i * 7) % H) },
    },
    run(b, v, loss, grads) {
      withScratch(b, (t) => {
        const hAll = t([T * B, H]), cache = t(gruCacheShape(T, B, H)), hLast = t([B, H]);
        const probs1 = t([B, H]), dhLast = t([B, H]), probs2 = t([T * B, H]), dhAll = t([T * B, H]);
        const allLoss = t([1]);
        b.gruForward({ xProj: v.xProj, whh: v.whh, bhh: v.bhh, lengths: v.lengths, reverse, hAll, cache, hLast });
        b.softmaxCrossEntropy(hLast, v.lastLabels, probs1, dhLast, loss, 0);
        b.softmaxCrossEntropy(hAll, v.allLabels, probs2, dhAll, allLoss, 0);
        b.axpy(1, allLoss, loss);
        if (!grads) return;
        b.gruBackward({
          whh: v.whh, lengths: v.lengths, reverse, hAll, cache, dhAll, dhLast,
          dxProj: grads.xProj, dwhh: grads.whh, dbhh: grads.bhh,
        });
      });
    },
  };
}
