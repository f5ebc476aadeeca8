import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { craftZip } from '../../io/testing/craft-zip';
import { encodeNpy } from '../../io/npy';
import { encodeWeights, weightMetadata, type WeightFile } from '../../io/weights';
import { runCli as cli } from '../testing/run-cli';

const work = mkdtempSync(path.join(tmpdir(), 'scratchnet-bad-weights-'));
const DIGITS = Array.from({ length: 10 }, (_, i) => String(i));

function hugeMlp(): WeightFile {
  return {
    model: 'mlp', config: { hidden: [20000, 20000], activation: 'relu' }, classes: DIGITS, metrics: {},
    tensors: new Map([['fc1.weight', { shape: [1, 1], data: new Float32Array(1) }]]),
  };
}

/** An npz holding the metadata of `w` plus one member whose zip entry lies about its size. */
function npzWithLyingMember(w: WeightFile): Uint8Array {
  const meta = new TextEncoder().encode(JSON.stringify(weightMetadata(w)));
  return craftZip([
    { name: 'fc1.weight.npy', data: encodeNpy({ dtype: 'float32', shape: [1, 1], data: new Float32Array(1) }), declaredSize: 1 << 30 },
    { name: '__metadata__.npy', data: encodeNpy({ dtype: 'uint8', shape: [meta.length], data: meta }) },
  ]);
}

const cases: Array<[string, () => Uint8Array, RegExp]> = [
  ['huge-mlp.safetensors', () => encodeWeights(hugeMlp(), 'safetensors'), /mlp config declares 400,260,010 parameters, the limit is 20,000,000/],
  ['huge-mlp.npz', () => encodeWeights(hugeMlp(), 'npz'), /mlp config declares 400,260,010 parameters/],
  ['lying.npz', () => npzWithLyingMember(hugeMlp()), /zip entry fc1\.weight\.npy: declares 1073741824 bytes from \d+ compressed/],
];

describe('cli eval / predict on hostile weight files', () => {
  for (const [name, make, message] of cases) {
    it(`refuses ${name} with exit 1 and one line naming the file`, async () => {
      const file = path.join(work, name);
      writeFileSync(file, make());
      // The weight file is checked before the data folder is read, so none is needed here.
      for (const command of ['predict', 'eval']) {
        const r = await cli(command, file, '--data', path.join(work, 'no-data'), '--index', '0');
        expect(r.code).toBe(1);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stderr).toMatch(new RegExp(`^error: ${name.replace('.', '\\.')}: `));
        expect(r.stderr).toMatch(message);
      }
    }, 60_000);
  }
});
