/**
 * Shareable settings, the one URL-hash module: each page's form lives in the URL hash,
 * '#/cnn?net=cnn2head&lr=0.001…' (the keys are the settings schema's, src/train/settings), so a
 * copied link reproduces the setup. The form writes the hash in place (replaceState, no history
 * entry per keystroke); a link opened fills the form; a value that does not parse is ignored and
 * named on the status line. A page may carry more than its form (the MLP page's dataset): extras.
 */

import { MEMORY_PROBLEM } from '../train/memory-estimate';
import { routeFromHash } from './route';

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
  /** What the link carries beside the form, written after it. */
  extras?: readonly LinkExtra[];
}

/** A setting of the page that is not a form field (the MLP page's dataset). */
export interface LinkExtra {
  key: string;
  /** The value to write; null leaves the key out. */
  current(): string | null;
  /** Null when a link's value can be used, else why not (checked as the link is read). */
  check(value: string): string | null;
  /** Uses an accepted value once the page has booted; why it could not, or null. */
  apply(value: string): Promise<string | null>;
}

/** The hash for a route with this form; every field is written so defaults changing later cannot alter a link. */
export function formHash<F extends { [K in keyof F]: FormValue }>(
  route: string, keys: Record<keyof F, string>, form: F, extras: readonly LinkExtra[] = [],
): string {
  const params = new URLSearchParams();
  for (const field of Object.keys(keys) as (keyof F)[]) {
    const value = form[field] as FormValue | undefined;
    if (value === undefined) continue;
    params.set(keys[field], typeof value === 'boolean' ? (value ? '1' : '0') : value.replace(/\s+/g, ''));
  }
  for (const extra of extras) {
    const value = extra.current();
    if (value !== null) params.set(extra.key, value);
  }
  // Commas are legal in a fragment and far easier to read than %2C.
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

export interface FormHashReading<F> {
  patch: Partial<F>;
  /** What was not applied, each as "key=value: why", unknown keys summed up last. */
  ignored: string[];
  /** The extras' accepted values, by key (only when the page has extras). */
  extras?: Record<string, string>;
}

/** The hash's valid fields (each checked on its own against `base`), its extras, and what was ignored, as one list. */
export function readFormHash<F extends { [K in keyof F]: FormValue }>(
  hash: string, keys: Record<keyof F, string>, base: F, check: (form: F) => string | null, extras: readonly LinkExtra[] = [],
): FormHashReading<F> {
  const { pairs, unread } = linkPairs(splitHash(hash).query);
  const extraOf = new Map(extras.map((e) => [e.key, e]));
  const values: Record<string, string> = {};
  const extraProblems: string[] = [];
  const formPairs = pairs.filter(([key, value]) => {
    const extra = extraOf.get(key);
    if (!extra) return true;
    const problem = value.length > MAX_LINK_VALUE ? `longer than ${MAX_LINK_VALUE} characters` : extra.check(value);
    if (problem === null) values[key] = value;
    else extraProblems.push(`${key}=${shorten(value)}: ${problem}`);
    return false;
  });
  const { patch, problems, unknownKeys } = readFormPairs(formPairs, keys, base, check);
  const unknown = ignoredText([], unknownKeys, unread);
  const ignored = [...extraProblems, ...problems, ...(unknown === null ? [] : [unknown])];
  return extras.length > 0 ? { patch, ignored, extras: values } : { patch, ignored };
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
  private booted = false;

  constructor(private readonly link: FormLink<F>, private readonly win: LinkWindow) {}

  /** Applies the opened link's form now; its extras and problems once `ready` (the page's boot) resolves. */
  start(ready: Promise<void>): void {
    let opened = this.apply();
    this.link.onFormChange(() => this.write());
    this.win.addEventListener('hashchange', () => {
      const reading = this.apply();
      if (this.booted) void this.finish(reading).then(() => this.write());
      else opened = reading;
    });
    void ready.then(async () => {
      this.booted = true;
      await this.finish(opened);
      this.write();
    });
  }

  private onRoute(): boolean {
    return routeFromHash(this.win.location.hash) === this.link.route;
  }

  /** The link's form patch applied; what is left to do once the page is ready. */
  private apply(): FormHashReading<F> {
    if (!this.onRoute() || !splitHash(this.win.location.hash).query) return { patch: {}, ignored: [] };
    if (!this.link.idle()) return { patch: {}, ignored: ['training is running'] };
    const reading = readFormHash(this.win.location.hash, this.link.keys, this.link.form(), (f) => this.link.check(f), this.link.extras);
    const form = this.link.form();
    if ((Object.keys(reading.patch) as (keyof F)[]).some((k) => form[k] !== reading.patch[k])) this.link.update(reading.patch);
    return reading;
  }

  /** The extras applied, then what was ignored on the status line: only problems are news (a reload opens the page's own link). */
  private async finish(reading: FormHashReading<F>): Promise<void> {
    const ignored = [...reading.ignored];
    for (const extra of this.link.extras ?? []) {
      const value = reading.extras?.[extra.key];
      if (value === undefined || value === extra.current()) continue;
      const problem = await extra.apply(value);
      if (problem !== null) ignored.push(`${extra.key}=${shorten(value)}: ${problem}`);
    }
    if (ignored.length > 0) this.link.report(`Ignored from the link: ${ignored.join('; ')}`);
  }

  private write(): void {
    if (!this.onRoute()) return;
    const hash = formHash(this.link.route, this.link.keys, this.link.form(), this.link.extras);
    if (hash !== this.win.location.hash) this.win.history.replaceState(null, '', hash);
  }
}
