import { describe, expect, it } from 'vitest';
import { QUICKDRAW_UPSTREAM_FOLDER, quickDrawUpstreamPath } from './quickdraw-proxy-path';

describe('quickDrawUpstreamPath', () => {
  it('forwards one class file of the folder, to that file only', () => {
    expect(quickDrawUpstreamPath('/quickdraw/cat.ndjson')).toBe('/quickdraw_dataset/full/simplified/cat.ndjson');
    expect(quickDrawUpstreamPath('/quickdraw/hot%20dog.ndjson')).toBe(`${QUICKDRAW_UPSTREAM_FOLDER}hot%20dog.ndjson`);
    expect(quickDrawUpstreamPath('/quickdraw/The%20Eiffel%20Tower.ndjson')).toBe(`${QUICKDRAW_UPSTREAM_FOLDER}The%20Eiffel%20Tower.ndjson`);
    expect(quickDrawUpstreamPath('/quickdraw/t-shirt.ndjson')).toBe(`${QUICKDRAW_UPSTREAM_FOLDER}t-shirt.ndjson`);
  });

  it('drops the query and the fragment', () => {
    expect(quickDrawUpstreamPath('/quickdraw/cat.ndjson?x=../../secret')).toBe(`${QUICKDRAW_UPSTREAM_FOLDER}cat.ndjson`);
    expect(quickDrawUpstreamPath('/quickdraw/cat.ndjson#frag')).toBe(`${QUICKDRAW_UPSTREAM_FOLDER}cat.ndjson`);
  });

  const hostile = [
    // dot segments, plain and encoded in every case and depth
    '/quickdraw/../../secret', '/quickdraw/../quickdraw_dataset/x.ndjson', '/quickdraw/..', '/quickdraw/.', '/quickdraw/..%2f..%2fsecret.ndjson',
    '/quickdraw/%2e%2e/%2e%2e/secret.ndjson', '/quickdraw/%2E%2E%2Fsecret.ndjson', '/quickdraw/%2e%2e', '/quickdraw/.%2e/x.ndjson',
    '/quickdraw/%252e%252e%252fsecret.ndjson', '/quickdraw/..%252fsecret.ndjson', '/quickdraw/...ndjson', '/quickdraw/..ndjson',
    // encoded and literal slashes, backslashes, NUL
    '/quickdraw/a%2fb.ndjson', '/quickdraw/a%2Fb.ndjson', '/quickdraw/sub/cat.ndjson', '/quickdraw//cat.ndjson',
    '/quickdraw/..\\..\\secret.ndjson', '/quickdraw/a%5cb.ndjson', '/quickdraw/%5C..%5Csecret.ndjson', '/quickdraw/cat.ndjson%00.png',
    // absolute and protocol-relative URLs, other prefixes
    'http://evil.example/quickdraw/cat.ndjson', '//evil.example/quickdraw/cat.ndjson', '/quickdraw/http://evil.example/cat.ndjson',
    '/quickdraw/%2f%2fevil.example%2fcat.ndjson', '/quickdrawx/cat.ndjson', '/other/quickdraw/cat.ndjson', '',
    // not a class file
    '/quickdraw/', '/quickdraw/cat', '/quickdraw/cat.json', '/quickdraw/cat.ndjson.gz', '/quickdraw/.ndjson', '/quickdraw/-cat.ndjson',
    '/quickdraw/cat%0a.ndjson', '/quickdraw/%E0%A4%A.ndjson', `/quickdraw/${'a'.repeat(100)}.ndjson`, '/quickdraw/c%61t%2endjson/../x',
  ];
  for (const url of hostile) {
    it(`refuses ${JSON.stringify(url.slice(0, 60))}`, () => {
      expect(quickDrawUpstreamPath(url)).toBeNull();
    });
  }

  it('never returns a path outside the folder for any refused-or-forwarded request', () => {
    for (const url of hostile) {
      const upstream = quickDrawUpstreamPath(url);
      if (upstream !== null) expect(upstream.startsWith(QUICKDRAW_UPSTREAM_FOLDER)).toBe(true);
    }
    const forwarded = quickDrawUpstreamPath('/quickdraw/c%61t.ndjson');
    expect(forwarded).toBe(`${QUICKDRAW_UPSTREAM_FOLDER}cat.ndjson`);
    expect(new URL(forwarded!, 'https://storage.googleapis.com').pathname).toBe(forwarded);
  });
});
