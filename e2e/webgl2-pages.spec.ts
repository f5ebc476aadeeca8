import { expect, test, type Page } from '@playwright/test';
import { chartPointCount, dataBase, drawStrokes, openReady, setField, testWithFullData } from './helpers';

/**
 * The page's kernel choice on WebGL2 (SwiftShader here): each network's page trains a short run,
 * evaluates and predicts a drawing on the GPU kernels; Auto times both and explains its pick.
 * A new page joins by adding a case to PAGES.
 */

type Strokes = [number, number][][];

interface PageCase {
  route: string;
  /** Loads the page's data and sets up a short run (a few hundred examples, one epoch). */
  prepare(page: Page): Promise<void>;
  /** Drawn after training: the network must answer with something matching `prediction`. */
  drawings: Strokes[];
  prediction: RegExp;
}

// Canvas coordinates in 0..1: a "1" on the square canvas; a "1" then a "7" on the 2:1 pair canvas.
const ONE: Strokes = [[[0.5, 0.15], [0.5, 0.85]]];
const ONE_LEFT: Strokes = [[[0.25, 0.15], [0.25, 0.85]]];
const SEVEN_RIGHT: Strokes = [[[0.62, 0.2], [0.88, 0.2], [0.72, 0.85]]];

// A fish for the RNN page: a body loop and a tail.
const FISH: Strokes = [
  [[0.15, 0.5], [0.35, 0.3], [0.6, 0.32], [0.72, 0.5], [0.6, 0.68], [0.35, 0.7], [0.15, 0.5]],
  [[0.72, 0.5], [0.9, 0.3], [0.9, 0.7], [0.72, 0.5]],
];
const ANIMALS = ['bird', 'cat', 'dog', 'elephant', 'fish', 'horse', 'owl', 'pig', 'rabbit', 'snake'];

const PAGES: PageCase[] = [
  {
    route: '#/mlp',
    async prepare(page) {
      await openReady(page, '#/mlp');
      // One epoch of the bundled 9k train digits (the MLP page has no subset field; an MLP epoch is quick).
      await setField(page, 'epochs-input', '1');
    },
    drawings: [ONE],
    prediction: /^\d$/,
  },
  {
    route: '#/cnn',
    async prepare(page) {
      await page.goto('/#/cnn');
      const build = page.getByTestId('build-pairs-button');
      await expect(build).toBeEnabled({ timeout: 60_000 });
      await build.click();
      await expect(page.getByTestId('status')).toContainText(/train \/ [\d,]+ test pairs ready/, { timeout: 120_000 });
      await page.getByTestId('variant-select').selectOption('cnn');
      await setField(page, 'epochs-input', '1');
      await setField(page, 'train-limit-input', '300');
    },
    drawings: [ONE_LEFT, SEVEN_RIGHT],
    prediction: /^\d\d$/,
  },
  {
    route: '#/rnn',
    async prepare(page) {
      await page.goto('/#/rnn');
      // Filled only once the bundled sample is stored: its arrival reset a per-class count typed earlier.
      await expect(page.getByTestId('status')).toContainText('Quick Draw: 10,000 drawings of 10 classes', { timeout: 60_000 });
      await setField(page, 'quickdraw-base-input', dataBase('quickdraw'));
      await setField(page, 'quickdraw-classes-input', ANIMALS.join(', '));
      await setField(page, 'quickdraw-per-class-input', '30');
      await page.getByTestId('load-quickdraw-button').click();
      await expect(page.getByTestId('status')).toContainText('Quick Draw: 300 drawings of 10 classes', { timeout: 60_000 });
      // A batch of 128 drawings × up to 100 steps: more rows than SwiftShader's 8,192-row textures,
      // so the GRU's input projections and their gradients run as tiled matmuls.
      await setField(page, 'hidden-input', '16');
      await setField(page, 'layers-input', '1');
      await setField(page, 'epochs-input', '1');
      await setField(page, 'batch-input', '128');
      await expect(page.getByTestId('batch-input')).toHaveValue('128');
      // The Workers setting is on this page too (on WebGL2 kernels a run uses one worker).
      await expect(page.getByTestId('workers-select')).toBeVisible();
    },
    drawings: [FISH],
    prediction: new RegExp(`^(${ANIMALS.join('|')})$`),
  },
];

async function chooseKernels(page: Page, choice: 'auto' | 'cpu' | 'webgl2'): Promise<void> {
  const select = page.getByTestId('backend-select');
  await expect(select).toBeEnabled({ timeout: 60_000 });
  await select.selectOption(choice);
}

for (const c of PAGES) {
  // The Quick Draw page loads its drawings from the full data.
  const register = c.route === '#/rnn' ? testWithFullData : test;
  register(`${c.route} on WebGL2: short run → loss chart → test accuracy → drawing predicted; the choice survives a reload`, async ({ page }) => {
    test.setTimeout(600_000);
    await c.prepare(page);
    await chooseKernels(page, 'webgl2');
    await expect(page.getByTestId('backend-note')).toHaveText(/^WebGL2: /, { timeout: 60_000 });
    await expect(page.getByTestId('status')).toContainText(/^WebGL2: .*Your models came along\./);
    await expect(page.getByTestId('kernels')).toContainText('WebGL2');

    const started = Date.now();
    await page.getByTestId('train-button').click();
    await expect.poll(() => chartPointCount(page.getByTestId('chart-loss')), { timeout: 120_000 }).toBeGreaterThan(1);
    await expect(page.getByTestId('test-accuracy')).toBeVisible({ timeout: 480_000 });
    const accuracy = await page.getByTestId('test-accuracy').innerText();
    console.log(`${c.route} on WebGL2: short run + test evaluation in ${Date.now() - started} ms, test accuracy ${accuracy}`);
    expect(parseFloat(accuracy)).toBeGreaterThanOrEqual(0);

    for (const strokes of c.drawings) await drawStrokes(page, strokes);
    await expect(page.getByTestId('prediction')).toHaveText(c.prediction, { timeout: 60_000 });
    await expect(page.getByTestId('status')).not.toHaveClass(/error/);

    await page.reload();
    await expect(page.getByTestId('backend-select')).toHaveValue('webgl2');
    await expect(page.getByTestId('backend-note')).toHaveText(/^WebGL2: /, { timeout: 60_000 });
    await expect(page.getByTestId('kernels')).toContainText('WebGL2');
  });
}

test('Auto times both kernels on the current network and says which it uses and why; no switch while training', async ({ page }) => {
  test.setTimeout(300_000);
  await openReady(page, '#/mlp');
  await chooseKernels(page, 'auto');
  const note = page.getByTestId('backend-note');
  await expect(note).toHaveText(
    /^Auto: WebGL2 [\d,]+ vs (WebAssembly SIMD|JavaScript typed arrays) [\d,]+ examples\/s training the MLP; using (WebGL2|WebAssembly SIMD|JavaScript typed arrays)$/,
    { timeout: 120_000 },
  );
  const text = await note.innerText();
  console.log(`auto: ${text}`);
  const used = text.split('; using ')[1];
  await expect(page.getByTestId('kernels')).toContainText(used);
  await expect(page.getByTestId('backend-select')).toHaveValue('auto');

  await setField(page, 'epochs-input', '50');
  await page.getByTestId('train-button').click();
  await expect.poll(() => chartPointCount(page.getByTestId('chart-loss')), { timeout: 60_000 }).toBeGreaterThan(1);
  await page.getByTestId('backend-select').selectOption('cpu');
  await expect(page.getByTestId('status')).toContainText('Stop training before switching the kernels');
  await expect(page.getByTestId('backend-select')).toHaveValue('auto');
  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('train-button')).toBeEnabled({ timeout: 60_000 });
});
