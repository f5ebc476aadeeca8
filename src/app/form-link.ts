/**
 * Shareable settings for the CNN and RNN pages (the MLP page has url-sync.ts, which also carries its
 * dataset): the page's form lives in the URL hash, '#/cnn?variant=cnn2head&lr=0.001…'. The form
 * writes the hash in place (replaceState); a link opened fills the form; a value that does not parse
 * is ignored and named on the status line.
 */

import { MEMORY_PROBLEM } from '../train/memory-estimate';

export type FormValue = string | boolean;

/** '#/mlp?lr=0.01' → route 'mlp' and the query ('' when there is none). */
export function splitHash(hash: string): { route: string; query: string } {
  const body = hash.replace(/^#\/?/, '');
  const q = body.indexOf('?');
  return q < 0 ? { route: body, query: '' } : { route: body.slice(0, q), query: body.slice(q + 1) };
}

/** One page's form as the link sees it. */
export interface FormLink<F extends { [K in keyof F]: FormValue }> {
  route: string;
  /** Short, stable URL names of the fields (links must keep working: never rename one). */
  keys: Record<keyof F, string>;
  /** Null when the form is valid, else what is wrong. */
  check(form: F): string | null;
  form(): F;
  update(patch: Partial<F>): void;
  /** Calls back on every change of the form. */
  onFormChange(listener: () => void): void;
  idle(): boolean;
  report(text: string): void;
}

export function formHash<F extends { [K in keyof F]: FormValue }>(route: string, keys: Record<keyof F, string>, form: F): string {
  const params = new URLSearchParams();
  for (const field of Object.keys(keys) as (keyof F)[]) {
    const value = form[field];
    params.set(keys[field], typeof value === 'boolean' ? (value ? '1' : '0') : value.replace(/\s+/g, ''));
  }
  return `#/${route}?${params.toString().replace(/%2C/gi, ',')}`;
}

/**
 * A link is read in bounded time and memory whatever its length: only its first pairs are decoded,
 * the rest are counted (a 200 000-key hash must not freeze the page or flood the status line).
 */
export const MAX_LINK_PAIRS = 64;
/** Longer values are refused unread: no field of any form needs more. */
export const MAX_LINK_VALUE = 256;
const NAMES_SHOWN = 5;
const NAME_CHARS = 24;

export interface LinkPairs {
  /** The first pairs, decoded, in link order. */
  pairs: [string, string][];
  /** Pairs after those: counted, never decoded. */
  unread: number;
}

/** The first `cap` key=value pairs of a query ('+' is a space, %XX decoded) and how many more there are. */
export function linkPairs(query: string, cap = MAX_LINK_PAIRS): LinkPairs {
  const pairs: [string, string][] = [];
  let at = 0;
  let unread = 0;
  while (at < query.length) {
    const amp = query.indexOf('&', at);
    const end = amp < 0 ? query.length : amp;
    if (end > at) {
      if (pairs.length < cap) pairs.push(decodePair(query.slice(at, end)));
      else unread++;
    }
    at = end + 1;
  }
  return { pairs, unread };
}

function decodePair(part: string): [string, string] {
  const eq = part.indexOf('=');
  const [key, value] = eq < 0 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)];
  return [decodeText(key), decodeText(value)];
}

function decodeText(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** What a link's reading did not apply, as one status-line text; null when everything was applied. */
export function ignoredText(problems: readonly string[], unknownKeys: readonly string[], unread: number): string | null {
  const parts = [...problems];
  const count = unknownKeys.length + unread;
  if (count > 0) {
    const names = unknownKeys.slice(0, NAMES_SHOWN).map(shorten);
    const more = count > names.length ? ', …' : '';
    parts.push(`ignored ${count} unknown link ${count === 1 ? 'key' : 'keys'}: ${names.join(', ')}${more}`);
  }
  return parts.length > 0 ? parts.join('; ') : null;
}

const shorten = (text: string): string => (text.length > NAME_CHARS ? `${text.slice(0, NAME_CHARS)}…` : text);

export interface FormReading<F> {
  /** The link's fields that parse, each on its own against the base and all together. */
  patch: Partial<F>;
  /** "key=value: why" per refused field (and the clash of fields valid alone). */
  problems: string[];
  /** Keys that are not fields, in link order. */
  unknownKeys: string[];
}

/** Reads decoded pairs into a form patch: each field checked on its own against `base`, then all together. */
export function readFormPairs<F extends { [K in keyof F]: FormValue }>(
  pairs: readonly [string, string][], keys: Record<keyof F, string>, base: F, check: (form: F) => string | null,
): FormReading<F> {
  const fieldOf = new Map(Object.entries(keys).map(([field, key]) => [key as string, field as keyof F]));
  const reading: FormReading<F> = { patch: {}, problems: [], unknownKeys: [] };
  for (const [key, text] of pairs) {
    const field = fieldOf.get(key);
    if (!field) {
      reading.unknownKeys.push(key);
      continue;
    }
    const value = text.length > MAX_LINK_VALUE ? null : decode(base[field], text);
    const problem = value === null ? refusal(base[field], text) : fieldProblem(check({ ...base, [field]: value }));
    if (problem === null) reading.patch[field] = value as F[keyof F];
    else reading.problems.push(`${key}=${shorten(text)}: ${problem}`);
  }
  const together = check({ ...base, ...reading.patch });
  if (together !== null && Object.keys(reading.patch).length > 0) {
    const names = Object.keys(reading.patch).map((field) => keys[field as keyof F]).join(', ');
    reading.problems.push(`${names} together: ${together}`);
    reading.patch = {};
  }
  return reading;
}

/** Whether a run fits in memory depends on all its fields together: that is checked once, last. */
const fieldProblem = (problem: string | null): string | null => (problem?.startsWith(MEMORY_PROBLEM) ? null : problem);

function refusal(like: FormValue, text: string): string {
  if (text.length > MAX_LINK_VALUE) return `longer than ${MAX_LINK_VALUE} characters`;
  return typeof like === 'boolean' ? 'expected 1 or 0' : 'not a value';
}

/** The hash's valid fields (each checked on its own against `base`) and what was ignored, as one list. */
export function readFormHash<F extends { [K in keyof F]: FormValue }>(
  hash: string, keys: Record<keyof F, string>, base: F, check: (form: F) => string | null,
): { patch: Partial<F>; ignored: string[] } {
  const { pairs, unread } = linkPairs(splitHash(hash).query);
  const { patch, problems, unknownKeys } = readFormPairs(pairs, keys, base, check);
  const unknown = ignoredText([], unknownKeys, unread);
  return { patch, ignored: unknown === null ? problems : [...problems, unknown] };
}

function decode(like: FormValue, text: string): FormValue | null {
  if (typeof like !== 'boolean') return text;
  if (text === '1' || text === 'true') return true;
  if (text === '0' || text === 'false') return false;
  return null;
}

/** The part of `window` this needs (tests pass a fake). */
export interface LinkWindow {
  location: { hash: string };
  history: { replaceState(data: unknown, unused: string, url: string): void };
  addEventListener(type: 'hashchange', listener: () => void): void;
}

export class FormUrlSync<F extends { [K in keyof F]: FormValue }> {
  constructor(private readonly link: FormLink<F>, private readonly win: LinkWindow) {}

  /** Applies the opened link now (its problems are reported once `ready`), then keeps the hash in step. */
  start(ready: Promise<void>): void {
    const ignored = this.apply();
    this.link.onFormChange(() => this.write());
    this.win.addEventListener('hashchange', () => {
      const problems = this.apply();
      if (problems.length) this.link.report(`Ignored from the link: ${problems.join('; ')}`);
      this.write();
    });
    void ready.then(() => {
      if (ignored.length) this.link.report(`Ignored from the link: ${ignored.join('; ')}`);
      this.write();
    });
  }

  private onRoute(): boolean {
    return splitHash(this.win.location.hash).route === this.link.route;
  }

  private apply(): string[] {
    if (!this.onRoute() || !splitHash(this.win.location.hash).query) return [];
    if (!this.link.idle()) return ['training is running'];
    const { patch, ignored } = readFormHash(this.win.location.hash, this.link.keys, this.link.form(), (f) => this.link.check(f));
    const form = this.link.form();
    if ((Object.keys(patch) as (keyof F)[]).some((k) => form[k] !== patch[k])) this.link.update(patch);
    return ignored;
  }

  private write(): void {
    if (!this.onRoute()) return;
    const hash = formHash(this.link.route, this.link.keys, this.link.form());
    if (hash !== this.win.location.hash) this.win.history.replaceState(null, '', hash);
  }
}
