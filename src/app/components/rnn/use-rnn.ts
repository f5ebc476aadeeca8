import { useStore } from 'zustand';
import { useController } from '../../context';
import { RnnController, type RnnState } from '../../rnn-controller';

/** The RNN page's controller; its components render only under the RNN page's services. */
export function useRnnController(): RnnController {
  const controller = useController();
  if (!(controller instanceof RnnController)) throw new Error('RNN components need the RNN page’s controller');
  return controller;
}

/** Reads one slice of the RNN page's own store (datasets, previews, forms, the sequence seen). */
export function useRnnState<T>(selector: (s: RnnState) => T): T {
  return useStore(useRnnController().rnn, selector);
}
