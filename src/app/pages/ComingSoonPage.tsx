import { ChartsPanel } from '../components/ChartsPanel';
import { DrawPanel } from '../components/DrawPanel';
import { ModelPanel } from '../components/ModelPanel';
import { Panel } from '../components/Panel';
import { TrainControls } from '../components/TrainControls';

const PLANS: Record<'rnn', { title: string; text: string }> = {
  rnn: {
    title: 'Recurrent network — coming soon',
    text:
      'Quick Draw sketches as sequences of pen movements, classified by a bidirectional GRU ' +
      'that reads the strokes in the order they were drawn.',
  },
};

/** Keeps every page's layout and test ids (A3) while the network itself is not built yet. */
export function ComingSoonPage({ route }: { route: 'rnn' }) {
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
