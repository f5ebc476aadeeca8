import { describe, expect, it } from 'vitest';
import { hasQuickDrawProxy, QUICKDRAW_PROXY_HEADER, QUICKDRAW_PROXY_PROBE } from './quickdraw-proxy';

describe('hasQuickDrawProxy', () => {
  it('is true only when the server answers the probe with its header', async () => {
    const asked: string[] = [];
    const proxy = async (url: string) => {
      asked.push(url);
      return new Response(null, { headers: { [QUICKDRAW_PROXY_HEADER]: 'yes' } });
    };
    expect(await hasQuickDrawProxy(proxy)).toBe(true);
    expect(asked).toEqual([QUICKDRAW_PROXY_PROBE]);
  });

  it('is false on a static host: 404, a catch-all index.html, or no answer at all', async () => {
    expect(await hasQuickDrawProxy(async () => new Response('not found', { status: 404 }))).toBe(false);
    expect(await hasQuickDrawProxy(async () => new Response('<!doctype html>', { headers: { 'content-type': 'text/html' } }))).toBe(false);
    expect(await hasQuickDrawProxy(async () => Promise.reject(new TypeError('Failed to fetch')))).toBe(false);
  });
});
