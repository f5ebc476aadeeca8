import type { Backend } from '../../kernels/backend';
import { Rng } from '../../kernels/rng';
import { compareValues, randoms, readAll, type TilingResult } from '../../kernels/webgl2/testing/tiling-check';
import { lossFor } from '../models';
import { RnnModel } from '../models/rnn';
import { SequencePacker } from './gru-input';

/**
 * The BiGRU part of the WebGL2 matmul tiling check (kernels/webgl2/testing/tiling-check.ts): a
 * two-layer BiGRU classifier (dropout between the layers) on 7 sequences of up to 24 steps, i.e.
 * 168 rows per input projection, so with a texture size limit of 16 every projection and
 * gradient matmul is tiled. Compares logits, loss and every parameter gradient.
 */
export async function tiledBiGruCheck(tiled: Backend, whole: Backend): Promise<TilingResult[]> {
  const B = 7, T = 24, rng = new Rng(5);
  const seqs = Array.from({ length: B }, (_, i) => randoms(rng, 3 * (i === 0 ? T : 1 + Math.floor(rng.next() * T))));
  const labels = Array.from({ length: B }, (_, i) => i % 4);
  const runs: { logits: Float64Array; loss: Float64Array; grads: Map<string, Float64Array> }[] = [];
  for (const backend of [tiled, whole]) {
    const model = new RnnModel(backend, { hidden: 8, layers: 2, max_len: T, delta_scale: 1, dropout: 0.25, outputSize: 4 }, 3);
    const packer = new SequencePacker(backend);
    const loss = lossFor(model);
    const labelTensor = backend.tensor([B], labels);
    try {
      model.zeroGrad();
      const logits = model.forward(packer.packList(seqs), true);
      const out = loss.forward(logits, labelTensor);
      model.backward(out.dlogits);
      const grads = new Map<string, Float64Array>();
      for (const p of model.params) grads.set(p.name, await readAll(backend, p.grad));
      runs.push({ logits: await readAll(backend, logits), loss: await readAll(backend, out.loss), grads });
    } finally {
      backend.dispose(labelTensor);
      loss.dispose();
      packer.dispose();
      model.dispose();
    }
  }
  const [t, w] = runs;
  return [
    compareValues('bigru logits', t.logits, w.logits),
    compareValues('bigru loss', t.loss, w.loss),
    ...[...w.grads.keys()].map((name) => compareValues(`bigru grad ${name}`, t.grads.get(name)!, w.grads.get(name)!)),
  ];
}
