import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface WorkerPageServer {
  origin: string;
  close(): Promise<void>;
}

/**
 * Bundles a kernel-test worker (a file under e2e/pages) with esbuild and serves it at /worker.js
 * beside `html` at every other path, on a throwaway local port: the app build is not involved.
 */
export async function serveWorkerPage(workerFile: string, html: string): Promise<WorkerPageServer> {
  const bundle = await build({
    entryPoints: [path.join(here, 'pages', workerFile)], bundle: true, format: 'esm', target: 'es2022', write: false,
  });
  const worker = bundle.outputFiles[0].text;
  const server = createServer((req, res) => {
    if (req.url === '/worker.js') res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(worker);
    else res.writeHead(200, { 'Content-Type': 'text/html' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
