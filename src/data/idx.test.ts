import { describe, expect, it } from 'vitest';
import { IDX_TRAILING_ALLOWANCE, IdxParser, parseIdx, readIdxStream, sniffCompression } from './idx';
import { toImageSet } from './mnist-common';
import { concat, gzip, makeIdx, streamOf } from './testing/idx-fixtures';

describe('IdxParser', () => {
  const images = makeIdx('images', 3);
  const headerBytes = 16;

  it('parses a whole images file', () => {
    const { header, data } = parseIdx(images, { name: 'x' });
    expect(header).toEqual({ kind: 'images', count: 3, dims: [28, 28], headerBytes: 16, exampleBytes: 784 });
    expect(data).toEqual(images.subarray(16));
  });

  it('gives the same result for a split at every byte position of the header (and a bit beyond)', () => {
    for (let cut = 0; cut <= headerBytes + 3; cut++) {
      const p = new IdxParser({ name: 'x', expectKind: 'images', expectDims: [28, 28] });
      p.push(images.subarray(0, cut));
      p.push(images.subarray(cut));
      const { header, data } = p.finish();
      expect(header.count, `cut at ${cut}`).toBe(3);
      expect(data, `cut at ${cut}`).toEqual(images.subarray(16));
    }
  });

  it('accepts the file one byte at a time and reports examples as they arrive', () => {
    const labels = makeIdx('labels', 25);
    const p = new IdxParser({ name: 'y' });
    const seen: number[] = [];
    for (let i = 0; i < labels.length; i++) {
      p.push(labels.subarray(i, i + 1));
      seen.push(p.examplesReceived);
    }
    expect(seen[7]).toBe(0); // header of a labels file is 8 bytes
    expect(seen[8]).toBe(1);
    expect(seen.at(-1)).toBe(25);
    expect(Array.from(p.finish().data.subarray(0, 12))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
  });

  it('reports a truncated file with how many examples arrived', () => {
    const cut = images.subarray(0, 16 + 784 * 2 + 100);
    expect(() => parseIdx(cut, { name: 'train-images' })).toThrow('train-images: file ends after 2 of 3 images (truncated)');
    expect(() => parseIdx(images.subarray(0, 10), { name: 'train-images' })).toThrow('file ends inside the IDX header');
  });

  it('allocates for the data received, not for what the header declares', () => {
    const header = makeIdx('images', 0);
    new DataView(header.buffer).setUint32(4, 1_000_000, false); // claims 784 MB of images
    const p = new IdxParser({ name: 'liar' });
    p.push(header);
    p.push(new Uint8Array(784 * 5));
    expect(p.examplesReceived).toBe(5);
    expect(p.data.length).toBeLessThanOrEqual(1 << 20);
    expect(() => p.finish()).toThrow('liar: file ends after 5 of 1000000 images (truncated)');
    const whole = new IdxParser({ name: 'ok' });
    const big = makeIdx('images', 3000); // 2.35 MB: grows past the first allocation
    for (let at = 0; at < big.length; at += 100_000) whole.push(big.subarray(at, at + 100_000));
    expect(whole.finish().data).toEqual(big.subarray(16));
  });

  it('reports trailing garbage, and stops at once when there is more than the allowance', () => {
    const padded = concat(images, new Uint8Array(5));
    expect(() => parseIdx(padded, { name: 'a' })).toThrow('a: 5 unexpected bytes after the last of 3 images');
    const p = new IdxParser({ name: 'b' });
    p.push(images);
    p.push(new Uint8Array(IDX_TRAILING_ALLOWANCE));
    expect(() => p.push(new Uint8Array(1))).toThrow(`b: more than ${IDX_TRAILING_ALLOWANCE} unexpected bytes after the last of 3 images`);
  });

  it('refuses wrong magic numbers, data types, dimensions and kinds', () => {
    const bad = (b: number[]) => concat(new Uint8Array(b), new Uint8Array(12));
    expect(() => parseIdx(bad([0x12, 0x34, 0x56, 0x78]), { name: 'f' })).toThrow('f is not an MNIST IDX file (it starts with bytes 12 34 56 78');
    expect(() => parseIdx(bad([0, 0, 0x0d, 3]), { name: 'f' })).toThrow('IDX data type float32 is not supported');
    expect(() => parseIdx(bad([0, 0, 0x08, 2]), { name: 'f' })).toThrow('IDX file has 2 dimensions');
    expect(() => parseIdx(makeIdx('labels', 3), { name: 'f', expectKind: 'images' })).toThrow(
      'f: expected an IDX images file but this one holds labels',
    );
    expect(() => parseIdx(makeIdx('images', 2, [28, 29]), { name: 'f', expectDims: [28, 28] })).toThrow(
      'f: images are 28×29, expected 28×28',
    );
    expect(() => parseIdx(new TextEncoder().encode('<!doctype html><html>'), { name: 'f' })).toThrow('looks like an HTML page');
    expect(() => parseIdx(new Uint8Array(0), { name: 'f' })).toThrow('f is empty');
  });

  it('refuses a header declaring an absurd size instead of allocating it', () => {
    const huge = makeIdx('images', 0);
    new DataView(huge.buffer).setUint32(4, 0xffffffff, false);
    expect(() => parseIdx(huge, { name: 'f' })).toThrow('too large, the file is corrupt');
  });

  it('detects an image/label count mismatch', () => {
    const imgs = parseIdx(makeIdx('images', 5), { name: 'i' });
    const labels = parseIdx(makeIdx('labels', 4), { name: 'l' });
    expect(() => toImageSet('train', imgs, labels)).toThrow(
      'MNIST train: the images file holds 5 images but the labels file holds 4 labels',
    );
  });
});

describe('readIdxStream', () => {
  const images = makeIdx('images', 40);

  it('reads gzipped and raw streams in odd chunk sizes identically', async () => {
    for (const chunk of [1, 7, 333, 100000]) {
      const fromGz = await readIdxStream(streamOf(gzip(images), chunk), { name: 'g' });
      const fromRaw = await readIdxStream(streamOf(images, chunk), { name: 'r' });
      expect(fromGz.data).toEqual(images.subarray(16));
      expect(fromRaw.data).toEqual(images.subarray(16));
    }
  });

  it('calls onChunk as examples arrive', async () => {
    const counts: number[] = [];
    await readIdxStream(streamOf(images, 784 * 10), { name: 'r' }, (p) => void counts.push(p.examplesReceived));
    expect(counts[0]).toBeLessThan(40);
    expect(counts.at(-1)).toBe(40);
    expect([...counts].sort((a, b) => a - b)).toEqual(counts);
  });

  it('detects a stream that is neither gzip nor IDX', async () => {
    const text = new TextEncoder().encode('hello, this is not MNIST');
    await expect(readIdxStream(streamOf(text, 3), { name: 'x.gz' })).rejects.toThrow('x.gz is neither gzip-compressed nor an IDX file');
    expect(() => sniffCompression(new TextEncoder().encode('<html>'), 'p')).toThrow('looks like an HTML page');
    await expect(readIdxStream(streamOf(new Uint8Array(0)), { name: 'e' })).rejects.toThrow('e is empty');
  });

  it('reports corrupt or truncated gzip data, and truncation inside a valid gzip', async () => {
    const gz = gzip(images);
    await expect(readIdxStream(streamOf(gz.subarray(0, gz.length >> 1)), { name: 'half.gz' })).rejects.toThrow(
      /half\.gz: (reading failed|file ends after)/,
    );
    const damaged = gz.slice();
    damaged.fill(0xff, 20, 60);
    await expect(readIdxStream(streamOf(damaged), { name: 'bad.gz' })).rejects.toThrow(/bad\.gz: /);
    const cutIdx = gzip(images.subarray(0, 16 + 784 * 12 + 5));
    await expect(readIdxStream(streamOf(cutIdx), { name: 'train-images' })).rejects.toThrow(
      'train-images: file ends after 12 of 40 images',
    );
  });

  it('stops decompressing soon after the declared data when a gzip holds far more', async () => {
    const labels = makeIdx('labels', 20);
    const gz = gzip(concat(labels, new Uint8Array(32 << 20)));
    const seen: number[] = [];
    // The message says reading stopped at the allowance (finish() would count all 32 MiB instead).
    await expect(readIdxStream(streamOf(gz, 256), { name: 'big.gz' }, (p) => void seen.push(p.examplesReceived))).rejects.toThrow(
      `big.gz: more than ${IDX_TRAILING_ALLOWANCE} unexpected bytes after the last of 20 labels (the file holds more data than its header declares; stopped reading)`,
    );
    expect(seen.at(-1)).toBe(20);
  });

  it('reports gzip data followed by junk', async () => {
    const junk = concat(gzip(makeIdx('labels', 20)), new TextEncoder().encode('junk after the gzip member'));
    await expect(readIdxStream(streamOf(junk), { name: 'junk.gz' })).rejects.toThrow(/^junk\.gz: /);
  });

  it('propagates an onHeader veto', async () => {
    const veto = () => {
      throw new Error('count mismatch');
    };
    await expect(readIdxStream(streamOf(images), { name: 'r', onHeader: veto })).rejects.toThrow('count mismatch');
  });
});
