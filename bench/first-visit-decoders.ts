/**
 * The two sample encodings read into the app's in-memory form, with the app's own code, for timing in
 * the page (bench/first-visit.ts bundles this file and runs it there): the shipped SNQD file, and the
 * same drawings as gzipped ndjson read line by line as the Quick Draw loaders read ndjson.
 */
import { newTally, validDrawings } from '../src/data/quickdraw-common';
import { decodeQuickDrawSample } from '../src/data/quickdraw-sample-format';
import { SequenceBuilder } from '../src/data/quickdraw-shard';

/** Milliseconds from fetch to decoded drawings, and how many were read. */
export interface DecodeTiming {
  ms: number;
  drawings: number;
  bytes: number;
}

export async function timeSnqd(url: string): Promise<DecodeTiming> {
  const started = performance.now();
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
  const sample = decodeQuickDrawSample(bytes, url);
  const drawings = sample.perClass.reduce((n, b) => n + b.count, 0);
  return { ms: performance.now() - started, drawings, bytes: bytes.length };
}

/** `<base><class>.ndjson.gz` for each class, gunzipped and read as the Quick Draw loaders read ndjson. */
export async function timeGzippedNdjson(base: string, classes: string[]): Promise<DecodeTiming> {
  const started = performance.now();
  let bytes = 0;
  let drawings = 0;
  for (let c = 0; c < classes.length; c++) {
    const response = await fetch(`${base}${classes[c]}.ndjson.gz`);
    bytes += Number(response.headers.get('content-length'));
    const lines = response.body!.pipeThrough(new DecompressionStream('gzip'));
    const builder = new SequenceBuilder();
    for await (const { drawing, points } of validDrawings(lines, newTally(), classes[c])) builder.addDrawing(drawing, points, c);
    drawings += builder.count;
  }
  return { ms: performance.now() - started, drawings, bytes };
}
