/**
 * Shareable settings for the CNN and RNN pages (the MLP page has url-sync.ts, which also carries its
 * dataset): the page's form lives in the URL hash, '#/cnn?variant=cnn2head&lr=0.001…'. The form
 * writes the hash in place (replaceState); a link opened fills the form; a value that does not parse
 * is ignored and named on the status line.
 */
import { splitHash } from './url-settings';

export type FormValue = string | boolean;

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

/** The hash's valid fields (each checked on its own against `base`) and what was ignored. */
export function readFormHash<F extends { [K in keyof F]: FormValue }>(
  hash: string, keys: Record<keyof F, string>, base: F, check: (form: F) => string | null,
): { patch: Partial<F>; ignored: string[] } {
  const fieldOf = new Map(Object.entries(keys).map(([field, key]) => [key as string, field as keyof F]));
  const patch: Partial<F> = {};
  const ignored: string[] = [];
  for (const [key, text] of new URLSearchParams(splitHash(hash).query)) {
    const field = fieldOf.get(key);
    if (!field) {
      ignored.push(`${key}=${text}: unknown setting`);
      continue;
    }
    const value = decode(base[field], text);
    const problem = value === null ? 'expected 1 or 0' : check({ ...base, [field]: value });
    if (problem === null) patch[field] = value as F[keyof F];
    else ignored.push(`${key}=${text}: ${problem}`);
  }
  if (check({ ...base, ...patch }) !== null) return { patch: {}, ignored: [...ignored, 'the settings together do not form a valid run'] };
  return { patch, ignored };
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
