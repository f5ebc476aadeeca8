// Static server for ../shared/data during e2e tests: stands in for the public dataset hosts.
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/data');
const port = Number(process.argv[2] ?? 4318);

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
  const file = path.resolve(root, '.' + decodeURIComponent(url.pathname));
  if (!file.startsWith(root + path.sep)) {
    res.writeHead(403, headers).end();
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
