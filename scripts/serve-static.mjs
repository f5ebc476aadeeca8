#!/usr/bin/env node
/**
 * A plain static file server, as a static host (GitHub Pages, nginx with defaults) would be: no
 * COOP/COEP, no CORS headers, no proxy. Used by e2e/static-hosting.spec.ts and to try a build the
 * way it will be deployed:
 *
 *   node scripts/serve-static.mjs DIR PORT [SUB_PATH]
 *
 * serves DIR at http://127.0.0.1:PORT/SUB_PATH (default "/"). A folder serves its index.html; paths
 * outside DIR are refused. No dependencies, so it runs anywhere Node does.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  // Streaming compilation (WebAssembly.instantiateStreaming) insists on this type.
  '.wasm': 'application/wasm',
  '.ndjson': 'application/x-ndjson',
  '.txt': 'text/plain; charset=utf-8',
};

function usage(message) {
  console.error(`serve-static: ${message}\nusage: node scripts/serve-static.mjs DIR PORT [SUB_PATH]`);
  process.exit(2);
}

/** "/app" or "app/" → "/app/"; nothing → "/". */
function normalizeSubPath(text = '/') {
  const trimmed = text.replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}/` : '/';
}

/** The file a URL path names inside root, or null when it is outside the sub-path or escapes root. */
function fileOfPath(root, subPath, urlPath) {
  if (!urlPath.startsWith(subPath)) return null;
  let relative;
  try {
    relative = decodeURIComponent(urlPath.slice(subPath.length));
  } catch {
    return null;
  }
  if (relative.includes('\0')) return null;
  const file = path.resolve(root, '.' + path.sep + relative);
  return file === root || file.startsWith(root + path.sep) ? file : null;
}

async function resolveFile(file) {
  const info = await stat(file).catch(() => null);
  if (info?.isDirectory()) return resolveFile(path.join(file, 'index.html'));
  return info?.isFile() ? { file, size: info.size } : null;
}

function send(res, status, text) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(text);
}

async function handle(root, subPath, req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');
  const urlPath = new URL(req.url ?? '/', 'http://static').pathname;
  // The sub-path itself without its slash: relative URLs need the slash, as static hosts redirect.
  if (subPath !== '/' && urlPath === subPath.slice(0, -1)) {
    return res.writeHead(301, { Location: subPath }).end();
  }
  const wanted = fileOfPath(root, subPath, urlPath);
  if (!wanted) return send(res, urlPath.startsWith(subPath) ? 403 : 404, 'not found');
  const found = await resolveFile(wanted);
  if (!found) return send(res, 404, 'not found');
  const type = MIME_TYPES[path.extname(found.file).toLowerCase()] ?? 'application/octet-stream';
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': found.size, 'Cache-Control': 'no-cache' });
  if (req.method === 'HEAD') return res.end();
  createReadStream(found.file).on('error', () => res.destroy()).pipe(res);
}

const [dirArg, portArg, subPathArg] = process.argv.slice(2);
if (!dirArg || !portArg) usage('DIR and PORT are required');
const root = path.resolve(dirArg);
const rootInfo = await stat(root).catch(() => null);
if (!rootInfo?.isDirectory()) usage(`${dirArg} is not a folder (build first: npm run build)`);
const port = Number(portArg);
if (!Number.isInteger(port) || port < 0 || port > 65535) usage(`${portArg} is not a port number`);
const subPath = normalizeSubPath(subPathArg);

const server = createServer((req, res) => {
  handle(root, subPath, req, res).catch((err) => send(res, 500, String(err)));
});
server.listen(port, '127.0.0.1', () => {
  const { port: bound } = server.address();
  console.log(`serving ${root} at http://127.0.0.1:${bound}${subPath}`);
});
