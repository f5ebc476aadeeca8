// Static server for the full data's data/ folder during e2e tests: stands in for the public dataset
// hosts. Usage: node e2e/serve-shared-data.mjs PORT [DATA_DIR]. playwright.config.ts passes DATA_DIR
// (found by src/train/testing/shared-data.ts) when the full data is there; without it the server
// still starts and answers /health, and every file is a 404 (a bare clone runs no full-data spec).
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';

const port = Number(process.argv[2] ?? 4318);
const root = process.argv[3] ? path.resolve(process.argv[3]) : null;
if (root && !existsSync(root)) {
  console.error(`serve-shared-data: ${root} does not exist`);
  process.exit(1);
}

createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers = {
    'Access-Control-Allow-Origin': '*',
    'Cross-Origin-Resource-Policy': 'cross-origin',
  };
  if (url.pathname === '/health') {
    res.writeHead(200, headers).end('ok');
    return;
  }
  const file = root && path.resolve(root, '.' + decodeURIComponent(url.pathname));
  if (!file || !file.startsWith(root + path.sep)) {
    res.writeHead(root ? 403 : 404, headers).end(root ? '' : 'no data folder served');
    return;
  }
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new Error('not a file');
    res.writeHead(200, { ...headers, 'Content-Length': stat.size, 'Content-Type': 'application/octet-stream' });
    createReadStream(file).pipe(res);
  } catch {
    res.writeHead(404, headers).end('not found');
  }
}).listen(port, '127.0.0.1');
