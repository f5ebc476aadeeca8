import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { Controller } from './controller';
import type { AppState, AppStore } from './store';

export interface AppServices {
  store: AppStore;
  controller: Controller;
}

export const AppContext = createContext<AppServices | null>(null);

export function useServices(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error('AppContext is missing: render inside <AppContext.Provider>');
  return services;
}

/** Reads one slice of the store; the component re-renders only when that slice changes. */
export function useAppState<T>(selector: (s: AppState) => T): T {
  return useStore(useServices().store, selector);
}

export function useController(): Controller {
  return useServices().controller;
}
