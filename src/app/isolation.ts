/**
 * Cross-origin isolation on hosts that do not send COOP/COEP (a static host): registers
 * public/coi-sw.js, which adds the headers to the app's own responses, and reloads the page once so
 * the document itself arrives with them. Where the server already isolates the page (`npm start`,
 * vite preview) nothing is registered and nothing reloads. When isolation cannot be had, the app runs
 * on one worker and `isolationStore` says why (the workers select's hint).
 */
import { createStore } from 'zustand/vanilla';

/** Set just before the one reload; a page that comes back still not isolated must not reload again. */
export const RELOAD_FLAG = 'scratchnet-coi-reload';
export const SERVICE_WORKER_FILE = 'coi-sw.js';
/** How long to wait for the service worker before the app starts without it. */
const READY_TIMEOUT_MS = 4000;

export interface IsolationState {
  /** Why the page is not cross-origin isolated; null when it is (or before the check ends). */
  reason: string | null;
}

export const isolationStore = createStore<IsolationState>(() => ({ reason: null }));

export type IsolationStep =
  | { kind: 'isolated' }
  | { kind: 'register' }
  | { kind: 'unavailable'; reason: string };

export interface IsolationEnv {
  crossOriginIsolated: boolean;
  hasServiceWorker: boolean;
  secureContext: boolean;
  /** This tab already reloaded once for the service worker. */
  reloaded: boolean;
}

export const NO_SERVICE_WORKER =
  'This page is not cross-origin isolated and this browser offers no service worker to isolate it, so training uses 1 worker';
export const INSECURE_CONTEXT =
  'This page is not cross-origin isolated: served over plain http (not localhost), the browser allows no service worker to isolate it, so training uses 1 worker';
export const STILL_NOT_ISOLATED =
  'This page is not cross-origin isolated even with its service worker (the host or browser prevents it), so training uses 1 worker';

/** What to do on this load, from what the browser offers. */
export function isolationStep(env: IsolationEnv): IsolationStep {
  if (env.crossOriginIsolated) return { kind: 'isolated' };
  if (!env.secureContext) return { kind: 'unavailable', reason: INSECURE_CONTEXT };
  if (!env.hasServiceWorker) return { kind: 'unavailable', reason: NO_SERVICE_WORKER };
  if (env.reloaded) return { kind: 'unavailable', reason: STILL_NOT_ISOLATED };
  return { kind: 'register' };
}

function readFlag(): boolean {
  try {
    return sessionStorage.getItem(RELOAD_FLAG) !== null;
  } catch {
    // Storage blocked: claim we already reloaded, so a failure can never loop.
    return true;
  }
}

function writeFlag(on: boolean): void {
  try {
    if (on) sessionStorage.setItem(RELOAD_FLAG, '1');
    else sessionStorage.removeItem(RELOAD_FLAG);
  } catch {
    // Blocked storage already reads as "reloaded".
  }
}

function timeout(ms: number): Promise<'timeout'> {
  return new Promise((resolve) => setTimeout(() => resolve('timeout'), ms));
}

/** Registers the worker (its scope: the page's folder); true when the page is about to reload. */
async function registerAndReload(): Promise<boolean> {
  const url = new URL(SERVICE_WORKER_FILE, document.baseURI);
  let problem: string | null = null;
  try {
    await navigator.serviceWorker.register(url);
    const ready = await Promise.race([navigator.serviceWorker.ready, timeout(READY_TIMEOUT_MS)]);
    if (ready === 'timeout') problem = `its service worker did not start within ${READY_TIMEOUT_MS / 1000} s`;
  } catch (err) {
    problem = `its service worker could not be registered: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (problem) {
    isolationStore.setState({ reason: `This page is not cross-origin isolated (${problem}), so training uses 1 worker` });
    return false;
  }
  writeFlag(true);
  window.location.reload();
  return true;
}

/**
 * Awaited before the app starts: resolves when it may start (isolated or not, `isolationStore` then
 * says why not); never when the page is reloading, so nothing starts only to be torn down.
 */
export async function prepareIsolation(): Promise<void> {
  const step = isolationStep({
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    hasServiceWorker: 'serviceWorker' in navigator,
    secureContext: globalThis.isSecureContext === true,
    reloaded: readFlag(),
  });
  if (step.kind === 'isolated') {
    // Isolated now: a later failure (say, the worker was removed) may reload once more.
    writeFlag(false);
    return;
  }
  if (step.kind === 'unavailable') {
    isolationStore.setState({ reason: step.reason });
    return;
  }
  if (await registerAndReload()) await new Promise<never>(() => undefined);
}
