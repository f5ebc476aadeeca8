import { describe, expect, it } from 'vitest';
import { SequenceBuilder, decodeSequenceShard, encodeSequenceShard } from './quickdraw-shard';
import type { Drawing } from './strokes';

function drawing(seed: number, strokes: number): Drawing {
  return Array.from({ length: strokes }, (_, s) => {
    const n = 1 + ((seed + s) % 4);
    return [Array.from({ length: n }, (_, j) => (seed * 37 + j * 91 + s) % 256), Array.from({ length: n }, (_, j) => (seed * 11 + j * 200) % 256)];
  });
}

describe('sequence shards', () => {
  it('builds, encodes and decodes drawings exactly (extreme deltas included)', () => {
    const b = new SequenceBuilder();
    const drawings = Array.from({ length: 150 }, (_, i) => drawing(i, 1 + (i % 5)));
    drawings.push([[[255, 0], [0, 255]]]); // deltas +255 then -255
    drawings.forEach((d, i) => b.addDrawing(d, d.reduce((a, s) => a + s[0].length, 0), i % 3));
    const shard = b.build();
    expect(shard.count).toBe(151);
    const back = decodeSequenceShard(encodeSequenceShard(shard), 'test');
    expect(back).toEqual(shard);
    expect(Array.from(back.deltas.subarray(back.deltas.length - 4))).toEqual([255, 0, -255, 255]);
    expect(b.maxLen()).toBe(Math.max(...drawings.map((d) => d.reduce((a, s) => a + s[0].length, 0))));
  });

  it('copies drawings between blocks with addFrom', () => {
    const a = new SequenceBuilder();
    a.addDrawing(drawing(1, 2), drawing(1, 2).reduce((n, s) => n + s[0].length, 0), 4);
    a.addDrawing(drawing(2, 3), drawing(2, 3).reduce((n, s) => n + s[0].length, 0), 5);
    const block = a.build();
    const b = new SequenceBuilder();
    b.addFrom(block, 1);
    const copy = b.build();
    expect(copy.count).toBe(1);
    expect(copy.labels[0]).toBe(5);
    expect(Array.from(copy.deltas)).toEqual(Array.from(block.deltas.subarray(2 * block.offsets[1])));
  });

  it('refuses a damaged shard with a clear message', () => {
    const b = new SequenceBuilder();
    b.addDrawing(drawing(3, 2), drawing(3, 2).reduce((n, s) => n + s[0].length, 0), 0);
    const bytes = encodeSequenceShard(b.build());
    expect(() => decodeSequenceShard(bytes.subarray(0, bytes.length - 1), 'part 1')).toThrow('part 1: ');
    expect(() => decodeSequenceShard(new Uint8Array(20), 'part 1')).toThrow('not a drawing shard');
  });
});
