import { ChartsPanel } from '../components/ChartsPanel';
import { ModelPanel } from '../components/ModelPanel';
import { QuickDrawPanel, PreviewPanel } from '../components/rnn/QuickDrawPanel';
import { RnnDrawPanel } from '../components/rnn/RnnDrawPanel';
import { RnnEvalPanel } from '../components/rnn/RnnEvalPanel';
import { RnnHyperPanel } from '../components/rnn/RnnHyperPanel';
import { TrainControls } from '../components/TrainControls';
import { WorkersSelect } from '../components/WorkersSelect';

/** Quick, Draw! doodles read as pen-move sequences by a bidirectional GRU; renders under the RNN page's services. */
export function RnnPage() {
  return (
    <div className="grid">
      <div className="col-side">
        <QuickDrawPanel />
        <RnnHyperPanel />
        <WorkersSelect />
      </div>
      <div className="col-main">
        <TrainControls />
        <ChartsPanel />
        <ModelPanel />
      </div>
      <PreviewPanel />
      <RnnDrawPanel />
      <RnnEvalPanel />
    </div>
  );
}
