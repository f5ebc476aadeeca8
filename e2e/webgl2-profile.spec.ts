import { test } from '@playwright/test';
test('profile', async ({ page }) => {
  test.setTimeout(600_000);
  const { build } = await import('esbuild');
  const path = await import('node:path');
  const http = await import('node:http');
  const bundle = await build({ entryPoints: [path.resolve('e2e/pages/webgl2-worker.ts')], bundle: true, format: 'esm', write: false });
  const js = bundle.outputFiles[0].text;
  const server = http.createServer((req, res) => req.url === '/worker.js' ? res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(js) : res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><script type="module">window.w = new Worker("/worker.js",{type:"module"});</script>'));
  await new Promise<void>((r) => server.listen(4391, '127.0.0.1', () => r()));
  await page.goto('http://127.0.0.1:4391/');
  const task = process.env.TASK ?? 'profile';
  const r = await page.evaluate((task) => new Promise((res) => { const w = (window as any).w; w.onmessage = (e: any) => res(e.data); w.postMessage({ id: 1, task }); }), task);
  console.log(JSON.stringify(r, null, 1));
  server.close();
});
