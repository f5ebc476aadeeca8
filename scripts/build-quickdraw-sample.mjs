#!/usr/bin/env node
/**
 * Builds the bundled Quick, Draw! sample, public/quickdraw-sample/animals.snqd: the first N valid drawings
 * of each class file of ../shared/data/quickdraw (10 animals), in the SNQD layout of
 * src/data/quickdraw-sample-format.ts. Run by hand (installs use the committed file; a bare clone has
 * no ../shared):
 *   npx tsx scripts/build-quickdraw-sample.mjs [--per-class N] [--from DIR] [--out FILE] [--compare]
 * --compare also writes the same drawings as gzipped ndjson (the first lines of each file, under .cache/)
 * and prints both sizes and the time each takes to decode into the app's in-memory form, in Node.
 */
import { createReadStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { QUICKDRAW_ANIMALS, newTally, validDrawings } from '../src/data/quickdraw-common.ts';
import { SequenceBuilder } from '../src/data/quickdraw-shard.ts';
import { decodeQuickDrawSample, encodeQuickDrawSample } from '../src/data/quickdraw-sample-format.ts';
import { QUICKDRAW_SAMPLE_PER_CLASS } from '../src/data/quickdraw-sample.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const perClass = Number(option('per-class', QUICKDRAW_SAMPLE_PER_CLASS));
const from = path.resolve(root, option('from', '../shared/data/quickdraw'));
const out = path.resolve(root, option('out', 'public/quickdraw-sample/animals.snqd'));
const compare = process.argv.includes('--compare');
if (!(Number.isInteger(perClass) && perClass > 0)) throw new Error(`--per-class must be a positive whole number, got ${perClass}`);

/** The first `perClass` valid drawings of a class file, and the raw lines they came from. */
async function readClass(name, label) {
  const file = path.join(from, `${name}.ndjson`);
  const builder = new SequenceBuilder();
  const tally = newTally();
  const stream = Readable.toWeb(createReadStream(file));
  for await (const { drawing, points } of validDrawings(stream, tally, name)) {
    builder.addDrawing(drawing, points, label);
    if (builder.count === perClass) break;
  }
  if (builder.count < perClass) throw new Error(`${file} has only ${builder.count} valid drawings, ${perClass} wanted`);
  const lines = readFileSync(file, 'utf8').split('\n').slice(0, tally.valid + tally.malformed + tally.invalid);
  return { block: builder.build(), lines };
}

function timeMs(fn, repeats = 5) {
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

/** What the app would do with gzipped ndjson: gunzip, the Quick Draw loaders' line reader and checks, the blocks. */
async function timeGzippedNdjson(gzipped) {
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    for (let c = 0; c < gzipped.length; c++) {
      const builder = new SequenceBuilder();
      const stream = new Blob([gzipped[c]]).stream().pipeThrough(new DecompressionStream('gzip'));
      for await (const { drawing, points } of validDrawings(stream, newTally(), QUICKDRAW_ANIMALS[c])) builder.addDrawing(drawing, points, c);
    }
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

const classes = QUICKDRAW_ANIMALS;
const read = [];
for (let c = 0; c < classes.length; c++) read.push(await readClass(classes[c], c));
const bytes = encodeQuickDrawSample({ classes, perClass: read.map((r) => r.block) });
const back = decodeQuickDrawSample(bytes, out);
read.forEach((r, c) => {
  const same = ['offsets', 'deltas', 'pens', 'labels'].every((k) => Buffer.compare(Buffer.from(r.block[k].buffer), Buffer.from(back.perClass[c][k].buffer)) === 0);
  if (!same) throw new Error(`class ${classes[c]} does not read back as written`);
});
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, bytes);
const points = read.reduce((a, r) => a + r.block.offsets[r.block.count], 0);
console.log(`wrote ${path.relative(root, out)}: ${classes.length} classes × ${perClass} drawings, ${points} points, ${bytes.length} bytes`);

if (compare) {
  // One gzipped ndjson per class (the first N lines of its file), as the app would fetch them.
  const gzDir = path.join(root, '.cache', 'quickdraw-sample-ndjson');
  mkdirSync(gzDir, { recursive: true });
  const gzipped = read.map((r, c) => {
    const gz = gzipSync(Buffer.from(r.lines.join('\n') + '\n'), { level: 9 });
    writeFileSync(path.join(gzDir, `${classes[c]}.ndjson.gz`), gz);
    return gz;
  });
  const ndjsonBytes = read.reduce((n, r) => n + Buffer.byteLength(r.lines.join('\n') + '\n'), 0);
  const gzBytes = gzipped.reduce((n, g) => n + g.length, 0);
  const binGz = gzipSync(bytes, { level: 9 });
  console.log(`ndjson ${ndjsonBytes} bytes; gzipped ndjson ${gzBytes} bytes (${path.relative(root, gzDir)}/); SNQD ${bytes.length} bytes; gzipped SNQD ${binGz.length} bytes`);
  const snqdMs = timeMs(() => decodeQuickDrawSample(bytes, out));
  const gzMs = await timeGzippedNdjson(gzipped);
  console.log(`read into the app's in-memory form in Node (best of 5): SNQD ${snqdMs.toFixed(1)} ms; gzipped ndjson ${gzMs.toFixed(1)} ms`);
}
