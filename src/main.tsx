import * as Comlink from 'comlink';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { TrainerApi } from '../workers/api';
import { App } from './app/App';
import { CnnController } from './app/cnn-controller';
import { AppContext } from './app/context';
import { Controller } from './app/controller';
import { downloadBytes } from './app/download';
import { initialMnistBase } from './app/settings';
import { createAppStore } from './app/store';
import './app/styles.css';

const worker = new Worker(new URL('../workers/trainer.worker.ts', import.meta.url), {
  type: 'module',
  name: 'scratchnet-trainer',
});
const api = Comlink.wrap<TrainerApi>(worker);
const store = createAppStore(initialMnistBase(window.location.search));
// The site's base (where public/data lives), whatever sub-path the page is served from.
const pageBase = new URL('.', document.baseURI).href;
const controller = new Controller(api, store, { pageBase, download: downloadBytes });
// The CNN page keeps its own state (data, form, charts, model) in a store of its own, driving the
// worker's 'cnn' model slot; both pages share the one worker.
const cnnStore = createAppStore();
const cnnController = new CnnController(api, cnnStore, { pageBase, download: downloadBytes });

worker.addEventListener('error', (e) => {
  const status = { text: `The trainer worker crashed: ${e.message || 'unknown error'}`, kind: 'error' } as const;
  store.setState({ status });
  cnnStore.setState({ status });
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppContext.Provider value={{ store, controller }}>
      <App pages={{ cnn: { store: cnnStore, controller: cnnController } }} />
    </AppContext.Provider>
  </StrictMode>,
);

void cnnController.bootAfter(controller.boot(), store);
