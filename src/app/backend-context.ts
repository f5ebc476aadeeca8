import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { createBackendStore, type BackendController, type BackendState, type BackendStore } from './kernel-choice';

export interface BackendServices {
  store: BackendStore;
  controller: BackendController;
}

/** The kernel choice, provided once around every page (main.tsx); absent in component tests. */
export const BackendContext = createContext<BackendServices | null>(null);

/** Read when no BackendContext is provided: the select then does not render. */
const ABSENT = createBackendStore('cpu');

export function useBackendServices(): BackendServices | null {
  return useContext(BackendContext);
}

export function useBackendState<T>(selector: (s: BackendState) => T): T {
  return useStore(useContext(BackendContext)?.store ?? ABSENT, selector);
}
