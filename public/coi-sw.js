/*
 * Cross-origin isolation on a static host (GitHub Pages, a plain file server): such hosts cannot be
 * told to send COOP/COEP, and without them the page gets no SharedArrayBuffer, so training runs on
 * one worker. This service worker adds the headers to the app's own responses instead (the
 * "coi-serviceworker" technique). src/app/isolation.ts registers it and reloads once.
 *
 * - Only same-origin responses are touched; everything else passes through untouched (the browser
 *   fetches it as if no worker were here).
 * - Nothing is cached: every request goes to the network (and the HTTP cache) as usual, so a new
 *   deploy shows up on the next load.
 * - Headers a server already sends win: under `npm start` the page is isolated by the server and
 *   this worker is never registered anyway.
 * - The scope is the folder the page is served from, so it works under a sub-path.
 */

const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  // Our own files may be embedded by our own isolated page (workers, wasm, data shards).
  'Cross-Origin-Resource-Policy': 'same-origin',
};

// A new version takes over at once instead of waiting for every tab to close: it holds no state.
self.addEventListener('install', () => self.skipWaiting());
// Controls the page that registered it right away, so the one reload after registration suffices.
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (new URL(request.url).origin !== self.location.origin) return;
  // Chrome DevTools' "only-if-cached" requests throw unless same-origin mode: leave them alone.
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(fetch(request).then(withIsolationHeaders));
});

/** The response with the isolation headers it lacks; opaque or error responses cannot be rebuilt. */
function withIsolationHeaders(response) {
  if (response.status === 0 || response.type === 'opaqueredirect') return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) {
    if (!headers.has(name)) headers.set(name, value);
  }
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
