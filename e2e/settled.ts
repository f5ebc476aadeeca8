import { expect, type Page } from '@playwright/test';

/**
 * Opens a route on a fresh profile and waits until its data panel has settled: the worker has
 * started, nothing is loading, and the page's first action is available (Train, or on #/cnn and
 * #/rnn the button that builds or loads the data when the page does not do it by itself; on #/runs the
 * table).
 */
export async function openSettled(page: Page, route: string): Promise<void> {
  await page.goto('/' + route);
  const status = page.getByTestId('status');
  await expect(status).not.toHaveText(/^$|Starting/, { timeout: 60_000 });
  await expect(page.locator('.status')).not.toHaveClass(/status-busy/, { timeout: 120_000 });
  const firstAction = ['train-button', 'build-pairs-button', 'load-quickdraw-button'].map((id) => `[data-testid=${id}]:enabled`);
  // #/runs: the table of kept runs, or the note that there are none yet.
  const runsShown = ['[data-testid=runs-empty]', '[data-testid=run-row]'];
  await expect(page.locator([...firstAction, ...runsShown].join(', ')).first()).toBeVisible({ timeout: 60_000 });
}

/** Opens every collapsible part of the page, so the rules see what a user who expands them sees. */
export async function expandAll(page: Page): Promise<void> {
  await page.locator('details:not([open]) > summary').evaluateAll((summaries) => {
    for (const s of summaries) (s.parentElement as HTMLDetailsElement).open = true;
  });
}
