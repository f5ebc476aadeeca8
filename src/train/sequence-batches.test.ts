import { describe, expect, it } from 'vitest';
import { fillStroke3 } from '../data/strokes';
import { CpuBackend } from '../kernels/cpu';
import { confusedPairs } from './confusion';
import { Rng } from '../kernels/rng';
import { SequenceBatcher, dropStrokePoints, paddedLengths } from './sequence-batches';
import { toySequences } from './testing/toy-sequences';

const backend = new CpuBackend();
const read = (t: Parameters<NonNullable<typeof backend.readSync>>[0]) => backend.readSync!(t);

describe('SequenceBatcher', () => {
  const set = toySequences(100, 3, 30);
  const lengthOf = (i: number) => set.offsets[i + 1] - set.offsets[i];
  type BatcherOptions = ConstructorParameters<typeof SequenceBatcher>[3];
  /** Drawing b's points "x,y,pen" in drawing units, from a time-major batch of `rows` drawings of moves / scale. */
  const absolutePoints = (x: ArrayLike<number>, rows: number, b: number, len: number, scale: number) => {
    const out: string[] = [];
    let px = 0, py = 0;
    for (let t = 0; t < len; t++) {
      const i = 3 * (t * rows + b);
      px += x[i];
      py += x[i + 1];
      out.push(`${Math.round(px * scale)},${Math.round(py * scale)},${x[i + 2]}`);
    }
    return out;
  };
  /** The same drawings batched twice, plainly and with `augment`, shuffled alike for one epoch. */
  const plainAndAugmented = (opts: BatcherOptions, augment: BatcherOptions['augment'], seed: number, epoch: number) => {
    const plain = new SequenceBatcher(backend, set, null, opts);
    const augmented = new SequenceBatcher(backend, set, null, { ...opts, augment });
    plain.shuffleForEpoch(seed, epoch);
    augmented.shuffleForEpoch(seed, epoch);
    return [plain, augmented] as const;
  };

  it('visits every drawing once per epoch in length-bucketed batches, T the bucketed longest ≤ max_len', () => {
    const b = new SequenceBatcher(backend, set, null, { batchSize: 16, maxLen: 20, deltaScale: 5, stepBucket: 4 });
    b.shuffleForEpoch(7, 1);
    const seen: number[] = [];
    for (let i = 0; i < b.batchesPerEpoch; i++) {
      const batch = b.batch(i);
      const rows = Array.from({ length: batch.size }, (_, r) => b.exampleAt(i, r));
      seen.push(...rows);
      const longest = Math.min(20, Math.max(...rows.map(lengthOf)));
      const T = batch.input.shape[0] / batch.size;
      expect(T).toBe(Math.min(20, Math.ceil(longest / 4) * 4));
      expect(paddedLengths(20, 4)).toContain(T);
      expect(Array.from(read(batch.lengths))).toEqual(rows.map((ex) => Math.min(20, lengthOf(ex))));
      expect(Array.from(batch.hostLabels)).toEqual(rows.map((ex) => set.labels[ex]));
    }
    expect(seen.sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    b.dispose();
  });

  it('packs each drawing time-major exactly as fillStroke3 encodes it', () => {
    const b = new SequenceBatcher(backend, set, null, { batchSize: 8, maxLen: 12, deltaScale: 4 });
    b.shuffleForEpoch(1, 1);
    const batch = b.batch(2);
    const x = read(batch.input);
    const B = batch.size, T = x.length / 3 / B;
    for (let r = 0; r < B; r++) {
      const want = new Float32Array(T * 3);
      const len = fillStroke3(set, b.exampleAt(2, r), Math.min(12, T), 4, want);
      for (let t = 0; t < T; t++) {
        for (let f = 0; f < 3; f++) expect(x[(t * B + r) * 3 + f]).toBeCloseTo(t < len ? want[t * 3 + f] : 0, 6);
      }
    }
    b.dispose();
  });

  it('is seeded, reuses its tensors per shape and scales only dx, dy when augmenting', () => {
    const [a, c] = plainAndAugmented({ batchSize: 10, maxLen: 40, deltaScale: 1 }, { scale: 0.1 }, 5, 2);
    const plain = read(a.batch(0).input), scaled = read(c.batch(0).input);
    expect(a.batch(0).input).toBe(a.batch(0).input);
    let changed = 0;
    for (let k = 0; k < plain.length; k++) {
      if (k % 3 === 2) expect(scaled[k]).toBe(plain[k]);
      else if (plain[k] !== 0) {
        expect(Math.abs(scaled[k] / plain[k] - 1)).toBeLessThanOrEqual(0.1 + 1e-6);
        if (scaled[k] !== plain[k]) changed++;
      }
    }
    expect(changed).toBeGreaterThan(0);
    a.dispose();
    c.dispose();
  });

  it('rotates each drawing by one angle within ±rotate, keeping the lengths of its pen moves', () => {
    const [a, r] = plainAndAugmented({ batchSize: 10, maxLen: 40, deltaScale: 1 }, { scale: 0, rotate: 30 }, 5, 2);
    const plain = read(a.batch(0).input), turned = read(r.batch(0).input);
    const rows = a.batch(0).size, steps = plain.length / (3 * rows);
    const anglesOf = new Map<number, number[]>();
    for (let t = 0; t < steps; t++) {
      for (let b = 0; b < rows; b++) {
        const i = 3 * (t * rows + b);
        const [dx, dy, pen] = [plain[i], plain[i + 1], plain[i + 2]];
        expect(turned[i + 2]).toBe(pen);
        const length = Math.hypot(dx, dy);
        expect(Math.hypot(turned[i], turned[i + 1])).toBeCloseTo(length, 3);
        if (length > 1) anglesOf.set(b, [...(anglesOf.get(b) ?? []), Math.atan2(turned[i + 1], turned[i]) - Math.atan2(dy, dx)]);
      }
    }
    const wrap = (x: number) => Math.atan2(Math.sin(x), Math.cos(x));
    let turnedDrawings = 0;
    for (const angles of anglesOf.values()) {
      for (const angle of angles) expect(Math.abs(wrap(angle - angles[0]))).toBeLessThan(1e-3);
      expect(Math.abs(wrap(angles[0]))).toBeLessThanOrEqual((30 * Math.PI) / 180 + 1e-4);
      if (Math.abs(wrap(angles[0])) > 1e-3) turnedDrawings++;
    }
    expect(turnedDrawings).toBeGreaterThan(0);
    a.dispose();
    r.dispose();
  });

  it('mirrors about half the drawings left–right: x → 255 − x, dy and pen kept', () => {
    const [a, m] = plainAndAugmented({ batchSize: 100, maxLen: 40, deltaScale: 5 }, { scale: 0, mirror: true }, 3, 1);
    const plain = read(a.batch(0).input), mirrored = read(m.batch(0).input);
    const rows = a.batch(0).size, steps = plain.length / (3 * rows);
    let flipped = 0;
    for (let b = 0; b < rows; b++) {
      let sign = 0;
      for (let t = 0; t < steps; t++) {
        const i = 3 * (t * rows + b);
        expect(mirrored[i + 1]).toBe(plain[i + 1]);
        expect(mirrored[i + 2]).toBe(plain[i + 2]);
        if (t === 0) {
          // The first step is the first point itself (a move from the origin): it mirrors to 255 − x.
          if (mirrored[i] !== plain[i]) expect(mirrored[i]).toBeCloseTo(255 / 5 - plain[i], 5);
          continue;
        }
        expect(Math.abs(mirrored[i])).toBe(Math.abs(plain[i]));
        if (plain[i] !== 0) {
          const s = Math.sign(mirrored[i] / plain[i]);
          if (sign === 0) sign = s;
          expect(s).toBe(sign);
        }
      }
      if (sign < 0) flipped++;
    }
    expect(flipped).toBeGreaterThan(30);
    expect(flipped).toBeLessThan(70);
    a.dispose();
    m.dispose();
  });

  it('drops points inside strokes only: the kept points stay where they were drawn, stroke ends and pen-up moves stay', () => {
    const [a, d] = plainAndAugmented({ batchSize: 100, maxLen: 30, deltaScale: 5 }, { scale: 0, dropPoints: 0.3 }, 4, 1);
    const plainBatch = a.batch(0), plain = read(plainBatch.input), plainLengths = read(plainBatch.lengths);
    const dropBatch = d.batch(0), dropped = read(dropBatch.input), droppedLengths = read(dropBatch.lengths);
    const rows = plainBatch.size, steps = plain.length / (3 * rows);
    expect(dropped.length).toBe(plain.length);
    const points = (x: ArrayLike<number>, b: number, len: number) => absolutePoints(x, rows, b, len, 5);
    let removed = 0, interior = 0;
    for (let b = 0; b < rows; b++) {
      const before = points(plain, b, plainLengths[b]), after = points(dropped, b, droppedLengths[b]);
      // The kept points are the original points in order; every stroke end and stroke start stays.
      let k = 0;
      for (let t = 0; t < before.length; t++) {
        const strokeEdge = t === 0 || t === before.length - 1 || before[t].endsWith(',1') || before[t - 1].endsWith(',1');
        if (!strokeEdge) interior++;
        if (after[k] === before[t]) k++;
        else expect(strokeEdge).toBe(false);
      }
      expect(k).toBe(after.length);
      removed += before.length - after.length;
      for (let t = droppedLengths[b]; t < steps; t++) expect(dropped[3 * (t * rows + b)]).toBe(0);
    }
    expect(removed / interior).toBeGreaterThan(0.2);
    expect(removed / interior).toBeLessThan(0.4);
    a.dispose();
    d.dispose();
  });

  it('swaps neighbouring strokes: each stroke keeps its points, the drawing its length and pen lifts', () => {
    const [a, w] = plainAndAugmented({ batchSize: 100, maxLen: 30, deltaScale: 5 }, { scale: 0, swapStrokes: 1 }, 4, 1);
    const plainBatch = a.batch(0), plain = read(plainBatch.input), lengths = read(plainBatch.lengths);
    const swapBatch = w.batch(0), swapped = read(swapBatch.input);
    const rows = plainBatch.size;
    expect(read(swapBatch.lengths)).toEqual(lengths);
    /** The drawing's finished strokes as absolute points, and its unfinished tail (cut by max_len). */
    const strokes = (x: ArrayLike<number>, b: number) => {
      const done: string[] = [];
      let current: string[] = [];
      for (const point of absolutePoints(x, rows, b, lengths[b], 5)) {
        current.push(point);
        if (point.endsWith(',1')) {
          done.push(current.join(' '));
          current = [];
        }
      }
      return { done, tail: current.join(' ') };
    };
    let reordered = 0;
    for (let b = 0; b < rows; b++) {
      const before = strokes(plain, b), after = strokes(swapped, b);
      expect([...after.done].sort()).toEqual([...before.done].sort());
      expect(after.tail).toBe(before.tail);
      // At probability 1 one pass carries the first stroke to the end of the finished ones.
      if (before.done.length > 1) {
        expect(after.done).toEqual([...before.done.slice(1), before.done[0]]);
        reordered++;
      }
    }
    expect(reordered).toBeGreaterThan(10);
    a.dispose();
    w.dispose();
  });

  it('dropStrokePoints carries a dropped move into the next point and leaves a drawing alone at probability 0', () => {
    // One stroke of 4 points, then a stroke of 2: (dx, dy, pen) rows.
    const rows = Float32Array.from([1, 1, 0, 2, 0, 0, 3, 0, 0, 0, 4, 1, 5, 5, 0, 1, 1, 1]);
    const copy = rows.slice();
    expect(dropStrokePoints(copy, 0, 6, 0, new Rng(1))).toBe(6);
    expect(copy).toEqual(rows);
    const all = rows.slice();
    // Probability ~1: both interior points of the first stroke go, their moves carried into its end.
    expect(dropStrokePoints(all, 0, 6, 0.999999, new Rng(1))).toBe(4);
    expect(Array.from(all)).toEqual([1, 1, 0, 5, 4, 1, 5, 5, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    // An empty or one-point drawing has no interior point: nothing to drop, nothing written.
    const short = Float32Array.from([7, 7, 0, 9, 9, 9]);
    expect(dropStrokePoints(short, 0, 0, 0.999999, new Rng(1))).toBe(0);
    expect(dropStrokePoints(short, 0, 1, 0.999999, new Rng(1))).toBe(1);
    expect(Array.from(short)).toEqual([7, 7, 0, 9, 9, 9]);
  });

  it('refuses a bad batch size or augmentation scale with a clear message', () => {
    expect(() => new SequenceBatcher(backend, set, null, { batchSize: 0, maxLen: 5, deltaScale: 1 })).toThrow(/batch size/);
    expect(() => new SequenceBatcher(backend, set, null, { batchSize: 4, maxLen: 5, deltaScale: 1, augment: { scale: 2 } }))
      .toThrow(/augmentation scale/);
    expect(() => new SequenceBatcher(backend, set, null, { batchSize: 4, maxLen: 5, deltaScale: 1, augment: { scale: 0, dropPoints: 1 } }))
      .toThrow(/point dropping/);
    for (const swapStrokes of [-0.1, 1.5, Number.NaN]) {
      expect(() => new SequenceBatcher(backend, set, null, { batchSize: 4, maxLen: 5, deltaScale: 1, augment: { scale: 0, swapStrokes } }))
        .toThrow(/stroke swapping must be in \[0, 1\]/);
    }
  });
});

describe('paddedLengths', () => {
  it('lists every length a batch can be padded to: the buckets below max_len, then max_len', () => {
    expect(paddedLengths(100)).toEqual([8, 16, 24, 32, 40, 48, 56, 64, 72, 80, 88, 96, 100]);
    expect(paddedLengths(100).reduce((a, b) => a + b, 0)).toBe(724);
    expect(paddedLengths(16)).toEqual([8, 16]);
    expect(paddedLengths(5)).toEqual([5]);
    expect(paddedLengths(20, 4)).toEqual([4, 8, 12, 16, 20]);
  });
});

describe('confusedPairs', () => {
  it('adds both directions and orders by count', () => {
    const confusion = [[5, 1, 0], [3, 4, 2], [0, 2, 9]];
    expect(confusedPairs(confusion)).toEqual([{ a: 0, b: 1, count: 4 }, { a: 1, b: 2, count: 4 }]);
  });
});
