import { ChartsPanel } from '../components/ChartsPanel';
import { DrawPanel } from '../components/DrawPanel';
import { ModelPanel } from '../components/ModelPanel';
import { Panel } from '../components/Panel';
import { TrainControls } from '../components/TrainControls';
import type { Route } from '../route';

const PLANS: Record<Exclude<Route, 'mlp'>, { title: string; text: string }> = {
  cnn: {
    title: 'Convolutional network — coming soon',
    text:
      'Two MNIST digits side by side (28×56), read as a number from 00 to 99 by a small CNN: ' +
      'convolutions, max-pooling and dropout, with a one-head or two-head classifier.',
  },
  rnn: {
    title: 'Recurrent network — coming soon',
    text:
      'Quick Draw sketches as sequences of pen movements, classified by a bidirectional GRU ' +
      'that reads the strokes in the order they were drawn.',
  },
};

/** Keeps every page's layout and test ids (A3) while the network itself is not built yet. */
export function ComingSoonPage({ route }: { route: Exclude<Route, 'mlp'> }) {
  const plan = PLANS[route];
  return (
    <div className="grid coming-soon">
      <Panel title={plan.title} className="span-all hint">
        <p>{plan.text}</p>
        <p>
          Until then, the <a href="#/mlp">MLP page</a> trains a real network on MNIST.
        </p>
      </Panel>
      <div className="col-main span-all">
        <TrainControls disabled />
        <ChartsPanel empty />
        <ModelPanel disabled />
      </div>
      <DrawPanel disabled />
    </div>
  );
}
