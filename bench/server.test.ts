import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveStaticPath } from './server';

describe('resolveStaticPath', () => {
  const root = path.resolve('site');
  const wasm = path.resolve('wasm-dist');
  const mounts = [{ prefix: '/', dir: root }, { prefix: '/tfjs-wasm/', dir: wasm }];

  it('maps / to index.html and picks the longest matching mount', () => {
    expect(resolveStaticPath(mounts, '/')).toBe(path.join(root, 'index.html'));
    expect(resolveStaticPath(mounts, '/assets/a.js?v=1')).toBe(path.join(root, 'assets', 'a.js'));
    expect(resolveStaticPath(mounts, '/tfjs-wasm/x.wasm')).toBe(path.join(wasm, 'x.wasm'));
  });

  it('refuses paths that climb out of the mount', () => {
    expect(resolveStaticPath(mounts, '/../secret')).toBeUndefined();
    expect(resolveStaticPath(mounts, '/tfjs-wasm/%2e%2e/%2e%2e/etc/passwd')).toBeUndefined();
  });
});
