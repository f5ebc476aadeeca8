import { useSyncExternalStore } from 'react';

export type Route = 'mlp' | 'cnn' | 'rnn' | 'runs';
export const ROUTES: readonly Route[] = ['mlp', 'cnn', 'rnn', 'runs'];

/** '#/cnn' → 'cnn'; anything unknown → 'mlp'. */
export function routeFromHash(hash: string): Route {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : 'mlp';
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, () => routeFromHash(window.location.hash), () => 'mlp');
}

/** The network a route's page trains (the Runs view belongs to no network: the MLP stands in). */
export function networkOfRoute(route: Route): 'mlp' | 'cnn' | 'rnn' {
  return route === 'runs' ? 'mlp' : route;
}
