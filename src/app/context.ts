import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { CnnController } from './cnn-controller';
import { MlpController } from './mlp-controller';
import type { NetworkController } from './network-controller';
import type { AppState, AppStore } from './page-state';

export interface AppServices {
  store: AppStore;
  controller: NetworkController;
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

export function useController(): NetworkController {
  return useServices().controller;
}

/** The MLP page's controller (its digits and form). */
export function useMlpController(): MlpController {
  const controller = useController();
  if (!(controller instanceof MlpController)) throw new Error('MLP components need the MLP page’s controller');
  return controller;
}

/** The controller of a page that reads drawn ink (the MLP's digits, the CNN's pairs). */
export function useInkController(): MlpController | CnnController {
  const controller = useController();
  if (!(controller instanceof MlpController || controller instanceof CnnController)) {
    throw new Error('The drawing panel needs the MLP or the CNN page’s controller');
  }
  return controller;
}
