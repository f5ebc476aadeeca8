import type { Model } from '../types';

/** A one-line human description of a model's architecture, e.g. "784-256-128-64-10 · relu". */
export function describeArchitecture(model: Model, inputs: number, classes: number): string {
  const c = model.configJson();
  switch (model.kind) {
    case 'mlp':
      return `${[inputs, ...(c.hidden as number[]), classes].join('-')} · ${String(c.activation)}`;
    case 'cnn':
    case 'cnn2head':
      return `conv ${(c.channels as number[]).join('→')} (pad ${String(c.padding)}) · fc ${String(c.fc)}` +
        (model.kind === 'cnn2head' ? ' · two heads' : ` → ${classes}`);
    case 'rnn':
      return `BiGRU ${String(c.layers)}×${String(c.hidden)} → ${classes}`;
  }
}
