/**
 * A tiny static server for the built bench page, cross-origin isolated (COOP/COEP) like the app,
 * so SharedArrayBuffer and precise timers behave as they do in production.
 * `/tfjs-wasm/*` serves TensorFlow.js's wasm binaries straight from node_modules.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

export interface StaticMount {
  /** URL prefix, e.g. '/' or '/tfjs-wasm/'. */
  prefix: string;
  dir: string;
}

/** The file a URL path maps to, or undefined when it escapes every mount. */
export function resolveStaticPath(mounts: readonly StaticMount[], urlPath: string): string | undefined {
  const clean = decodeURIComponent(urlPath.split('?')[0]);
  const mount = [...mounts].sort((a, b) => b.prefix.length - a.prefix.length).find((m) => clean.startsWith(m.prefix));
  if (!mount) return undefined;
  const rel = clean.slice(mount.prefix.length) || 'index.html';
  const file = path.resolve(mount.dir, rel);
  return file.startsWith(path.resolve(mount.dir) + path.sep) ? file : undefined;
}

export async function startStaticServer(mounts: readonly StaticMount[]): Promise<{ server: Server; url: string }> {
  const server = createServer(async (req, res) => {
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Cache-Control', 'no-store');
    const file = resolveStaticPath(mounts, req.url ?? '/');
    const info = file ? await stat(file).catch(() => undefined) : undefined;
    if (!file || !info?.isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Content-Length': info.size,
    });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/` };
}
