/// <reference lib="webworker" />
/**
 * The trainer worker: exposes TrainerSession through comlink, one group per network (session-api.ts).
 * Every error reaches the page as an Error with a message fit for the status line.
 */
import * as Comlink from 'comlink';
import { chooseCpuBackend } from '../src/kernels/choose';
import { canShareMemory, workerTransport } from './grad-pool';
import { TrainerSession } from './session';
import { exposedApi } from './session-api';

const kernels = chooseCpuBackend();
const session = new TrainerSession(kernels.backend, kernels.label, kernels.fallbackReason);
// Multi-worker training needs SharedArrayBuffer, i.e. a cross-origin isolated page.
if (canShareMemory()) session.gradientTransport = workerTransport;

Comlink.expose(exposedApi(session));
