import { describe, expect, it } from 'vitest';
import { INSECURE_CONTEXT, isolationStep, NO_SERVICE_WORKER, STILL_NOT_ISOLATED, type IsolationEnv } from './isolation';

const staticHost: IsolationEnv = { crossOriginIsolated: false, hasServiceWorker: true, secureContext: true, reloaded: false };

describe('isolationStep', () => {
  it('leaves a page the server already isolates alone (no service worker, no reload)', () => {
    expect(isolationStep({ ...staticHost, crossOriginIsolated: true })).toEqual({ kind: 'isolated' });
    expect(isolationStep({ ...staticHost, crossOriginIsolated: true, reloaded: true })).toEqual({ kind: 'isolated' });
  });

  it('registers the service worker on a static host', () => {
    expect(isolationStep(staticHost)).toEqual({ kind: 'register' });
  });

  it('never reloads twice: after the one reload, a page still not isolated says so', () => {
    expect(isolationStep({ ...staticHost, reloaded: true })).toEqual({ kind: 'unavailable', reason: STILL_NOT_ISOLATED });
  });

  it('says why when the browser offers no service worker', () => {
    expect(isolationStep({ ...staticHost, hasServiceWorker: false })).toEqual({ kind: 'unavailable', reason: NO_SERVICE_WORKER });
    expect(isolationStep({ ...staticHost, hasServiceWorker: false, secureContext: false })).toEqual({ kind: 'unavailable', reason: INSECURE_CONTEXT });
  });
});
