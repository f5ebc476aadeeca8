import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { restartableTrainer } from '../workers/restartable';
import { App } from './app/App';
import { BackendController, createBackendStore } from './app/kernel-choice';
import { BackendContext } from './app/backend-context';
import { networkOfRoute, routeFromHash } from './app/route';
import { CnnController } from './app/cnn-controller';
import { AppContext } from './app/context';
import type { NetworkController } from './app/network-controller';
import { PlaygroundController } from './app/playground-controller';
import { PlaygroundContext } from './app/playground-context';
import { createRunsStore, RunsController } from './app/runs-controller';
import { SweepRunner } from './app/sweep';
import { FormUrlSync } from './app/form-link';
import { cnnLink, mlpLink, rnnLink } from './app/page-links';
import { RnnController } from './app/rnn-controller';
import { downloadBytes } from './app/download';
import { initialMnistBase } from './app/preferences';
import { createAppStore } from './app/page-state';
import { prepareIsolation } from './app/isolation';
import { hasQuickDrawProxy } from './app/quickdraw-proxy';
import { quickDrawBaseWithoutProxy } from './app/rnn-hyperparams';
import './app/styles.css';

// On a static host, isolation comes from a service worker and one reload: wait for it before any
// worker or download starts.
await prepareIsolation();

// Replaceable: a Stop the worker does not acknowledge in time terminates it and starts a fresh one.
const trainer = restartableTrainer(() => new Worker(new URL('../workers/trainer.worker.ts', import.meta.url), {
  type: 'module',
  name: 'scratchnet-trainer',
}));
const api = trainer.api;
const store = createAppStore(initialMnistBase(window.location.search));
// The site's base (where public/data lives), whatever sub-path the page is served from.
const pageBase = new URL('.', document.baseURI).href;
// The MLP page's controller, with the playground's presets and sweep hook.
// A Stop that a stuck worker does not acknowledge replaces the worker; the other pages put their data back.
const pages: NetworkController[] = [];
function restartWorkerFor(page: NetworkController): void {
  trainer.restart();
  for (const other of pages) if (other !== page) void other.reloadData().catch(() => undefined);
}
const controller = new PlaygroundController(api, store, { pageBase, download: downloadBytes, restartWorker: () => restartWorkerFor(controller) });
// The CNN page keeps its own state (data, form, charts, model) in a store of its own, driving the
// worker's 'cnn' model slot; both pages share the one worker.
const cnnStore = createAppStore();
const cnnController = new CnnController(api, cnnStore, { pageBase, download: downloadBytes, restartWorker: () => restartWorkerFor(cnnController) });
// The RNN page likewise: Quick Draw data, its form, charts and the worker's 'rnn' slot.
const rnnStore = createAppStore();
const rnnController = new RnnController(api, rnnStore, { pageBase, download: downloadBytes, restartWorker: () => restartWorkerFor(rnnController) });
pages.push(controller, cnnController, rnnController);
// A static host has no /quickdraw/ proxy: the Folder URL then points at Quick Draw's own folder.
void hasQuickDrawProxy().then((proxy) => {
  if (!proxy) rnnController.updateQuickDraw({ base: quickDrawBaseWithoutProxy(rnnController.rnn.getState().quickDraw.base) });
});
// The kernel choice (Auto / CPU / WebGL2) is the worker's, so one store for every page.
const backendStore = createBackendStore();
const backendController = new BackendController(api, backendStore);
// The playground: every ended run of every page lands in the run history; sweeps drive the MLP page.
const runs = new RunsController(createRunsStore(), {
  download: downloadBytes,
  backend: () => backendStore.getState().label ?? store.getState().kernels ?? '',
});
for (const c of [controller, cnnController, rnnController]) c.runLog = runs;
const sweep = new SweepRunner(controller, store, runs);

trainer.onError((e) => {
  const status = { text: `The trainer worker crashed: ${e.message || 'unknown error'}`, kind: 'error' } as const;
  store.setState({ status });
  cnnStore.setState({ status });
  rnnStore.setState({ status });
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BackendContext.Provider value={{ store: backendStore, controller: backendController }}>
      <PlaygroundContext.Provider value={{ runs, sweep }}>
        <AppContext.Provider value={{ store, controller }}>
          <App pages={{ cnn: { store: cnnStore, controller: cnnController }, rnn: { store: rnnStore, controller: rnnController } }} />
        </AppContext.Provider>
      </PlaygroundContext.Provider>
    </BackendContext.Provider>
  </StrictMode>,
);

// The saved kernel choice first: models restored at init then load straight onto it.
const booted = backendController.boot(networkOfRoute(routeFromHash(window.location.hash))).then(() => controller.boot());
const cnnBooted = cnnController.bootAfter(booted, store);
new FormUrlSync(mlpLink(controller, store), window).start(booted);
void runs.load();
const rnnBooted = rnnController.bootAfter(booted, store);
// After each page's own boot, so a link's problems are the last word on its status line.
new FormUrlSync(cnnLink(cnnController, cnnStore), window).start(cnnBooted);
new FormUrlSync(rnnLink(rnnController, rnnStore), window).start(rnnBooted);
