/**
 * The playground's services beside each page's own (AppContext): the run history and the sweep
 * runner. One instance for the whole app, provided in main.tsx.
 */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { RunsController, RunsState } from './runs-controller';
import type { SweepRunner, SweepState } from './sweep';

export interface PlaygroundServices {
  runs: RunsController;
  sweep: SweepRunner;
}

export const PlaygroundContext = createContext<PlaygroundServices | null>(null);

export function usePlayground(): PlaygroundServices {
  const services = useContext(PlaygroundContext);
  if (!services) throw new Error('PlaygroundContext is missing: render inside <PlaygroundContext.Provider>');
  return services;
}

export function useRunsState<T>(selector: (s: RunsState) => T): T {
  return useStore(usePlayground().runs.store, selector);
}

export function useSweepState<T>(selector: (s: SweepState) => T): T {
  return useStore(usePlayground().sweep.store, selector);
}
