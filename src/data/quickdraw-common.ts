/** What the Quick, Draw! loaders (URL, dropped files, Node folder) share: class list, line checks, the split. */
import { readNdjson } from './ndjson';
import { checkDrawing, type Drawing, type DrawingCheck } from './strokes';
import type { SequenceSplitName } from './types';

/** Google's public simplified drawings: `<base>/<class>.ndjson`. */
export const QUICKDRAW_DEFAULT_BASE = 'https://storage.googleapis.com/quickdraw_dataset/full/simplified/';
/** The default classes, in label order (alphabetical, as readQuickDrawDir orders a folder). */
export const QUICKDRAW_ANIMALS = ['bird', 'cat', 'dog', 'elephant', 'fish', 'horse', 'owl', 'pig', 'rabbit', 'snake'];
export const QUICKDRAW_DEFAULT_PER_CLASS = 3000;
export const QUICKDRAW_DEFAULT_SPLIT: Record<SequenceSplitName, number> = { train: 0.8, dev: 0.1, test: 0.1 };
export const QUICKDRAW_DEFAULT_SPLIT_SEED = 20240601;
export const SEQUENCE_SPLITS: SequenceSplitName[] = ['train', 'dev', 'test'];
/** Labels are stored as uint8. */
export const MAX_QUICKDRAW_CLASSES = 256;

/** 'cat.ndjson', 'full_simplified_cat.ndjson' (Google's download name) → 'cat'; null for other files. */
export function classNameOfFile(fileName: string): string | null {
  const m = /^(?:full_simplified_)?(.+)\.ndjson$/i.exec(fileName.replace(/^.*[\\/]/, ''));
  return m ? m[1] : null;
}

/** Refuses an empty, duplicated or oversized class list, or a per-class limit that is not a positive integer. */
export function checkLoadRequest(classes: string[], perClass: number | null): void {
  if (classes.length === 0) throw new Error('Choose at least one Quick Draw class');
  if (classes.length > MAX_QUICKDRAW_CLASSES) throw new Error(`At most ${MAX_QUICKDRAW_CLASSES} classes can be loaded, got ${classes.length}`);
  const seen = new Set<string>();
  for (const c of classes) {
    if (c.trim().length === 0) throw new Error('A Quick Draw class name is empty');
    if (seen.has(c)) throw new Error(`The class "${c}" is listed twice`);
    seen.add(c);
  }
  if (perClass !== null && !(Number.isInteger(perClass) && perClass > 0)) {
    throw new Error(`Drawings per class must be a positive whole number, got ${perClass}`);
  }
}

/** FNV-1a over the class name, then the index and seed, with murmur3's finalizer: a stable uniform u32. */
function hashDrawing(className: string, index: number, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < className.length; i++) h = Math.imul(h ^ className.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ index, 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Which split drawing `index` (its position among the valid drawings of its class file) belongs to.
 * Keyed by class name, so adding or reordering classes never moves a drawing between splits.
 */
export function splitOf(
  className: string,
  index: number,
  seed = QUICKDRAW_DEFAULT_SPLIT_SEED,
  fractions: Record<SequenceSplitName, number> = QUICKDRAW_DEFAULT_SPLIT,
): SequenceSplitName {
  const u = hashDrawing(className, index, seed) / 4294967296;
  if (u < fractions.train) return 'train';
  return u < fractions.train + fractions.dev ? 'dev' : 'test';
}

/** What reading one class file found. */
export interface ClassTally {
  valid: number;
  malformed: number;
  /** Refused lines, wrong-word lines included. */
  invalid: number;
  /** Lines whose `word` names another class than the file's (skipped, never stored under the file's class). */
  wrongWord: number;
  firstProblem: string | null;
}

export function newTally(): ClassTally {
  return { valid: 0, malformed: 0, invalid: 0, wrongWord: 0, firstProblem: null };
}

/** The `word` a Quick Draw line claims when it differs from the file's class (case aside), else null. */
function otherWord(value: unknown, className: string): string | null {
  const word = (value as { word?: unknown }).word;
  if (typeof word !== 'string') return null;
  return word.toLowerCase() === className.toLowerCase() ? null : word;
}

/** A line of a Quick Draw ndjson file must be an object with a `drawing` in simplified format. */
export function drawingOfLine(value: unknown): DrawingCheck {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'the line is not a JSON object' };
  }
  if (!('drawing' in value)) return { ok: false, reason: 'the line has no "drawing"' };
  return checkDrawing((value as { drawing: unknown }).drawing);
}

/**
 * The valid drawings of an ndjson stream, in order, with their point counts; malformed and refused lines
 * are counted in `tally` (the first problem kept for messages), and so are lines whose `word` is not
 * `className` (a dog in cat.ndjson is not a cat). Stop early by breaking out of the loop.
 */
export async function* validDrawings(
  stream: ReadableStream<Uint8Array>, tally: ClassTally, className: string,
): AsyncGenerator<{ drawing: Drawing; points: number }> {
  for await (const record of readNdjson(stream)) {
    if ('malformed' in record) {
      tally.malformed++;
      tally.firstProblem ??= `line ${record.line}: ${record.malformed}`;
      continue;
    }
    const check = drawingOfLine(record.value);
    if (!check.ok) {
      const jsonGarbage = check.reason === 'the line is not a JSON object';
      if (jsonGarbage) tally.malformed++;
      else tally.invalid++;
      tally.firstProblem ??= `line ${record.line}: ${check.reason}`;
      continue;
    }
    const word = otherWord(record.value, className);
    if (word !== null) {
      tally.invalid++;
      tally.wrongWord++;
      tally.firstProblem ??= `line ${record.line}: the drawing is a ${JSON.stringify(word)}, not a ${JSON.stringify(className)}`;
      continue;
    }
    tally.valid++;
    yield { drawing: check.drawing, points: check.points };
  }
}

/** The message for a class file without a single usable drawing. */
export function noDrawingsMessage(className: string, where: string, tally: ClassTally): string {
  const skipped = tally.malformed + tally.invalid;
  const detail = skipped > 0 ? ` (${skipped} unusable lines; first: ${tally.firstProblem})` : ' (the file is empty)';
  return `Quick Draw class "${className}" has no drawings in ${where}${detail}`;
}
