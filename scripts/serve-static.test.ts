import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const script = path.resolve(import.meta.dirname, 'serve-static.mjs');
let dir: string;
let server: ChildProcess;
let base: string;

async function get(subPath: string): Promise<Response> {
  return fetch(base + subPath.replace(/^\//, ''));
}

/** Sends a path as written: fetch would resolve "..", which is exactly what must be refused. */
function rawStatus(rawPath: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    request({ hostname, port, path: rawPath }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject).end();
  });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'serve-static-'));
  mkdirSync(path.join(dir, 'site', 'assets'), { recursive: true });
  writeFileSync(path.join(dir, 'site', 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(path.join(dir, 'site', 'assets', 'k.wasm'), new Uint8Array([0, 97, 115, 109]));
  writeFileSync(path.join(dir, 'secret.txt'), 'outside');
  server = spawn(process.execPath, [script, path.join(dir, 'site'), '0', '/sub/'], { stdio: ['ignore', 'pipe', 'inherit'] });
  base = await new Promise<string>((resolve) => {
    server.stdout!.on('data', (chunk: Buffer) => {
      const m = /at (http:\S+)/.exec(chunk.toString());
      if (m) resolve(m[1]);
    });
  });
});

afterAll(() => {
  server.kill();
  rmSync(dir, { recursive: true, force: true });
});

describe('serve-static', () => {
  it('serves a folder index and files with their MIME types, and no isolation or CORS headers', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<title>x</title>');
    for (const h of ['cross-origin-opener-policy', 'cross-origin-embedder-policy', 'access-control-allow-origin']) {
      expect(page.headers.get(h)).toBeNull();
    }
    const wasm = await get('/assets/k.wasm');
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    expect(new Uint8Array(await wasm.arrayBuffer())).toEqual(new Uint8Array([0, 97, 115, 109]));
  });

  it('refuses paths that escape the folder and answers 404 outside the sub-path', async () => {
    for (const attack of ['/sub/../secret.txt', '/sub/%2e%2e/secret.txt', '/sub/..%2fsecret.txt', '/sub/assets/..%2f..%2fsecret.txt']) {
      const answer = await rawStatus(attack);
      expect([403, 404], attack).toContain(answer.status);
      expect(answer.body).not.toContain('outside');
    }
    expect((await fetch(base.replace('/sub/', '/secret.txt'))).status).toBe(404);
    expect((await get('/missing.js')).status).toBe(404);
  });
});
