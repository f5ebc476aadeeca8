import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { setField, trainMlpOnTwoWorkers, watchGradWorkers } from './helpers';

// The build served as a static host would (scripts/serve-static.mjs: no COOP/COEP, no proxy, on a
// port the system picks, so parallel runs never collide). Isolation must come from public/coi-sw.js.
const dist = path.resolve(process.env.E2E_DIST ?? 'dist');
const CAT_LINE = '{"word":"cat","recognized":true,"drawing":[[[10,40,80],[20,60,20]]]}';

interface StaticServer {
  url: string;
  process: ChildProcess;
}

/** One more plain static server (its own port, chosen by the system), for this test only. */
async function startStaticServer(dir: string, subPath = '/'): Promise<StaticServer> {
  const child = spawn(process.execPath, ['scripts/serve-static.mjs', dir, '0', subPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`serve-static exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      const m = /at (http:\S+)/.exec(chunk.toString());
      if (m) resolve(m[1]);
    });
  });
  return { url, process: child };
}

let site: StaticServer;
let staticRoot: string;
test.beforeAll(async () => {
  site = await startStaticServer(dist);
  staticRoot = site.url;
});
test.afterAll(() => {
  site.process.kill();
});

async function openStatic(page: Page, url: string, route: string): Promise<void> {
  await page.goto(url + route);
  // The first visit registers the service worker and reloads once; wait for the isolated page.
  // The reload destroys the page being asked: that answer counts as "not yet".
  const isolated = () => page.evaluate(() => crossOriginIsolated).catch(() => false);
  await expect.poll(isolated, { timeout: 30_000 }).toBe(true);
}

test('Static host: the service worker isolates the page, 2+ workers are offered, and the MLP trains on 2', async ({ page }) => {
  const gradWorkers = watchGradWorkers(page);
  const plain = await page.request.get(staticRoot);
  expect(plain.headers()['cross-origin-embedder-policy']).toBeUndefined();
  await openStatic(page, staticRoot, '#/mlp');
  await expect(page.getByTestId('train-button')).toBeEnabled({ timeout: 60_000 });
  const select = page.getByTestId('workers-select');
  await expect(select).toBeEnabled();
  expect(await select.locator('option').count()).toBeGreaterThanOrEqual(2);
  await trainMlpOnTwoWorkers(page, gradWorkers);
  // A later load is controlled from the start: isolated without another reload.
  await page.reload();
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
});

test('Served with the headers (vite preview): no service worker, no reload, and the Folder URL is the proxy', async ({ page }) => {
  let loads = 0;
  page.on('load', () => loads++);
  await page.goto('/#/rnn');
  await expect(page.getByTestId('status')).not.toContainText('Starting', { timeout: 60_000 });
  // The proxy probe has answered by now: a wrong "no proxy" would have replaced the Folder URL.
  await page.waitForLoadState('networkidle');
  await expect(page.getByTestId('quickdraw-base-input')).toHaveValue('/quickdraw/');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(0);
  expect(loads).toBe(1);
});

test('Static host under a sub-path: isolated too, and several workers offered', async ({ page }) => {
  const server = await startStaticServer(dist, '/apps/scratchnet/');
  try {
    await openStatic(page, server.url, '#/mlp');
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${server.url}coi-sw.js`);
    await expect(page.getByTestId('workers-select')).toBeEnabled({ timeout: 60_000 });
    expect(await page.getByTestId('workers-select').locator('option').count()).toBeGreaterThanOrEqual(2);
  } finally {
    server.process.kill();
  }
});

test.describe('without service workers', () => {
  test.use({ serviceWorkers: 'block' });

  test('Static host: the page still runs, on 1 worker, and the hint says why', async ({ page }) => {
    await page.goto(staticRoot + '#/mlp');
    await expect(page.getByTestId('train-button')).toBeEnabled({ timeout: 60_000 });
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    await expect(page.getByTestId('workers-select')).toBeDisabled();
    await expect(page.getByTestId('workers-select').locator('option')).toHaveCount(1);
    await expect(page.getByTestId('workers-note')).toContainText(/not cross-origin isolated.*service worker.*1 worker/);
  });
});

test('Static host, Quick Draw: the folder URL is the public bucket, and a refused download says why and the ways out', async ({ page }) => {
  // Another origin that, like Quick Draw's bucket, has the files but sends no CORS headers.
  const folder = mkdtempSync(path.join(tmpdir(), 'no-cors-quickdraw-'));
  for (const name of ['cat', 'dog']) writeFileSync(path.join(folder, `${name}.ndjson`), `${CAT_LINE.replace('cat', name)}\n`);
  const noCors = await startStaticServer(folder);
  try {
    await openStatic(page, staticRoot, '#/rnn');
    // Whatever the page loads by itself at start is done (idle status, Load enabled).
    await expect(page.getByTestId('status')).toContainText(/ready|Press "Load"/, { timeout: 60_000 });
    await expect(page.locator('.status-busy')).toHaveCount(0);
    await expect(page.getByTestId('quickdraw-base-input')).toHaveValue('https://storage.googleapis.com/quickdraw_dataset/full/simplified/');
    await setField(page, 'quickdraw-base-input', noCors.url);
    await setField(page, 'quickdraw-classes-input', 'cat, dog');
    await setField(page, 'quickdraw-per-class-input', '20');
    await page.getByTestId('load-quickdraw-button').click();
    const status = page.getByTestId('status');
    await expect(status).toContainText('the Quick Draw host does not allow pages on other sites to download its files', { timeout: 30_000 });
    await expect(status).toContainText('drop the .ndjson files');
    await expect(status).toContainText('npm start');
  } finally {
    noCors.process.kill();
    rmSync(folder, { recursive: true, force: true });
  }
});
