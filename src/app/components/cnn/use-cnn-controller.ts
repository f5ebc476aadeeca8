import { CnnController } from '../../cnn-controller';
import { useController } from '../../context';

/** The CNN page's controller; its components render only under the CNN page's services. */
export function useCnnController(): CnnController {
  const controller = useController();
  if (!(controller instanceof CnnController)) throw new Error('CNN components need the CNN page’s controller');
  return controller;
}
