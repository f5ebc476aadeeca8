/**
 * The .npy header is a Python literal: a dict of str keys to str / bool / tuple-of-int values.
 * It is parsed as one (a tiny tokenizer and recursive-descent parser), never searched with regular
 * expressions, so a decoy such as `'fortran_order': True` inside a string cannot be mistaken for
 * the real key.
 */

export interface NpyHeaderDict {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
}

type Value = string | boolean | number[];

const REQUIRED_KEYS = ['descr', 'fortran_order', 'shape'];

class HeaderParser {
  private at = 0;

  constructor(private readonly text: string, private readonly label: string) {}

  fail(why: string): never {
    throw new Error(`${this.label}: malformed .npy header (${why} at character ${this.at}): ${this.text.trim().slice(0, 200)}`);
  }

  private skipSpace(): void {
    while (this.at < this.text.length && ' \t\r\n'.includes(this.text[this.at])) this.at++;
  }

  /** Consumes `token` (after spaces) when it comes next; returns whether it did. */
  accept(token: string): boolean {
    this.skipSpace();
    if (!this.text.startsWith(token, this.at)) return false;
    this.at += token.length;
    return true;
  }

  expect(token: string): void {
    if (!this.accept(token)) this.fail(`expected '${token}'`);
  }

  atEnd(): boolean {
    this.skipSpace();
    return this.at >= this.text.length;
  }

  string(): string {
    this.skipSpace();
    const quote = this.text[this.at];
    if (quote !== "'" && quote !== '"') this.fail('expected a string');
    let out = '';
    for (this.at++; this.at < this.text.length; this.at++) {
      const c = this.text[this.at];
      if (c === quote) {
        this.at++;
        return out;
      }
      if (c === '\\') {
        this.at++;
        if (this.at >= this.text.length) break;
      }
      out += this.text[this.at];
    }
    return this.fail('unterminated string');
  }

  private integer(): number {
    this.skipSpace();
    const match = /^\d+L?/.exec(this.text.slice(this.at, this.at + 24));
    if (!match) this.fail('expected a non-negative integer');
    this.at += match[0].length;
    const n = Number(match[0].replace('L', ''));
    if (!Number.isSafeInteger(n)) this.fail(`shape entry ${match[0]} is too large`);
    return n;
  }

  /** `()`, `(n,)` or `(n, m, ...)` with an optional trailing comma. */
  private tuple(): number[] {
    const out: number[] = [];
    while (!this.accept(')')) {
      out.push(this.integer());
      if (this.accept(')')) break;
      this.expect(',');
    }
    return out;
  }

  value(): Value {
    if (this.accept('True')) return true;
    if (this.accept('False')) return false;
    if (this.accept('(')) return this.tuple();
    return this.string();
  }
}

function dictOf(parser: HeaderParser): Map<string, Value> {
  const dict = new Map<string, Value>();
  parser.expect('{');
  while (!parser.accept('}')) {
    const key = parser.string();
    if (dict.has(key)) parser.fail(`key '${key}' appears twice`);
    parser.expect(':');
    dict.set(key, parser.value());
    if (parser.accept('}')) break;
    parser.expect(',');
  }
  if (!parser.atEnd()) parser.fail('unexpected text after the dict');
  return dict;
}

/** Parses a header's text; refuses anything but exactly descr (str), fortran_order (bool), shape (tuple). */
export function parseNpyHeaderDict(text: string, label: string): NpyHeaderDict {
  const parser = new HeaderParser(text, label);
  const dict = dictOf(parser);
  const keys = [...dict.keys()].sort();
  if (keys.length !== REQUIRED_KEYS.length || keys.some((k, i) => k !== REQUIRED_KEYS[i])) {
    throw new Error(`${label}: .npy header must have exactly the keys descr, fortran_order, shape; it has ${keys.join(', ') || 'none'}`);
  }
  const descr = dict.get('descr');
  const fortranOrder = dict.get('fortran_order');
  const shape = dict.get('shape');
  if (typeof descr !== 'string') throw new Error(`${label}: .npy header 'descr' must be a string (structured dtypes are not supported)`);
  if (typeof fortranOrder !== 'boolean') throw new Error(`${label}: .npy header 'fortran_order' must be True or False`);
  if (!Array.isArray(shape)) throw new Error(`${label}: .npy header 'shape' must be a tuple of integers`);
  return { descr, fortranOrder, shape };
}
