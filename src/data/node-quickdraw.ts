/**
 * Quick, Draw! from a folder of `<class>.ndjson` files for the CLI and tests, in Node: the same ndjson
 * parser, drawing checks, stroke-3 encoding and train/dev/test split as the browser loaders.
 */
import { createReadStream, existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import {
  QUICKDRAW_DEFAULT_SPLIT,
  QUICKDRAW_DEFAULT_SPLIT_SEED,
  SEQUENCE_SPLITS,
  checkLoadRequest,
  classNameOfFile,
  newTally,
  noDrawingsMessage,
  splitOf,
  validDrawings,
  type ClassTally,
} from './quickdraw-common';
import { SequenceBuilder } from './quickdraw-shard';
import { decodeQuickDrawSample, splitQuickDrawSample } from './quickdraw-sample';
import type { SequenceSet, SequenceSplitName } from './types';

export interface ReadQuickDrawOptions {
  /** Keep the first N valid drawings of each class (default: all). */
  perClass?: number;
  /** Classes to read, in label order (default: every .ndjson file of the folder, alphabetically). */
  classes?: string[];
  splitSeed?: number;
  splitFractions?: Record<SequenceSplitName, number>;
}

export interface QuickDrawClassReport extends ClassTally {
  name: string;
  file: string;
}

export interface QuickDrawData {
  classes: string[];
  /** Per class: drawings kept (valid), lines skipped and the first problem met. */
  perClass: QuickDrawClassReport[];
  train: SequenceSet;
  dev: SequenceSet;
  test: SequenceSet;
}

/** Class name → file in `dir` ('cat.ndjson' or 'full_simplified_cat.ndjson'). */
async function classFiles(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of (await readdir(dir)).sort()) {
    const name = classNameOfFile(entry);
    if (name && !files.has(name)) files.set(name, path.join(dir, entry));
  }
  return files;
}

function fileStream(file: string): ReadableStream<Uint8Array> {
  return Readable.toWeb(createReadStream(file)) as unknown as ReadableStream<Uint8Array>;
}

/** Reads `<dir>/<class>.ndjson` for each class and splits the drawings deterministically into train/dev/test. */
export async function readQuickDrawDir(dir: string, options: ReadQuickDrawOptions = {}): Promise<QuickDrawData> {
  if (!existsSync(dir)) throw new Error(`Quick Draw folder ${dir} does not exist`);
  const files = await classFiles(dir);
  const classes = options.classes ?? [...files.keys()].sort();
  if (classes.length === 0) throw new Error(`Quick Draw folder ${dir} has no <class>.ndjson files`);
  const perClass = options.perClass ?? null;
  checkLoadRequest(classes, perClass);
  const seed = options.splitSeed ?? QUICKDRAW_DEFAULT_SPLIT_SEED;
  const fractions = options.splitFractions ?? QUICKDRAW_DEFAULT_SPLIT;
  const builders = { train: new SequenceBuilder(), dev: new SequenceBuilder(), test: new SequenceBuilder() };
  const reports: QuickDrawClassReport[] = [];
  for (let c = 0; c < classes.length; c++) {
    const name = classes[c];
    const file = files.get(name);
    if (!file) throw new Error(`Quick Draw folder ${dir} has no ${name}.ndjson`);
    const tally = newTally();
    for await (const { drawing, points } of validDrawings(fileStream(file), tally, name)) {
      builders[splitOf(name, tally.valid - 1, seed, fractions)].addDrawing(drawing, points, c);
      if (perClass !== null && tally.valid >= perClass) break;
    }
    if (tally.valid === 0) throw new Error(noDrawingsMessage(name, file, tally));
    reports.push({ name, file, ...tally });
  }
  const [train, dev, test] = SEQUENCE_SPLITS.map((s) => builders[s].toSet(classes));
  return { classes: [...classes], perClass: reports, train, dev, test };
}

/** The bundled sample file (public/quickdraw-sample/*.snqd), split as the page splits it; `perClass` keeps the first N of each class. */
export async function readQuickDrawSampleFile(file: string, perClass?: number): Promise<QuickDrawData> {
  const bytes = await readFile(file).catch((e: NodeJS.ErrnoException) => {
    throw new Error(`cannot read the Quick Draw sample ${file}: ${e.code ?? e.message}`);
  });
  if (perClass !== undefined) checkLoadRequest(['sample'], perClass);
  const sample = decodeQuickDrawSample(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), file);
  const { train, dev, test } = splitQuickDrawSample(sample, perClass);
  const reports = sample.classes.map((name, c) => ({
    name, file, valid: Math.min(sample.perClass[c].count, perClass ?? Infinity), malformed: 0, invalid: 0, wrongWord: 0, firstProblem: null,
  }));
  return { classes: [...sample.classes], perClass: reports, train, dev, test };
}

/**
 * One line on what reading skipped, e.g. 'Quick Draw: skipped 4 unusable lines (3 of another class:
 * cat 2, dog 1)', or null when nothing was skipped. The CLI prints it so nothing is dropped silently.
 */
export function skippedLinesSummary(perClass: readonly QuickDrawClassReport[]): string | null {
  const skipped = perClass.reduce((a, c) => a + c.malformed + c.invalid, 0);
  if (skipped === 0) return null;
  const wrong = perClass.filter((c) => c.wrongWord > 0);
  const wrongCount = wrong.reduce((a, c) => a + c.wrongWord, 0);
  const detail = wrongCount > 0 ? ` (${wrongCount} of another class: ${wrong.map((c) => `${c.name} ${c.wrongWord}`).join(', ')})` : '';
  const first = perClass.find((c) => c.firstProblem);
  return `Quick Draw: skipped ${skipped} unusable line${skipped === 1 ? '' : 's'}${detail}; first: ${first?.name} ${first?.firstProblem}`;
}
