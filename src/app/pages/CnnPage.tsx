import { ChartsPanel } from '../components/ChartsPanel';
import { AutotunePanel } from '../components/cnn/AutotunePanel';
import { CnnEvalPanel } from '../components/cnn/CnnEvalPanel';
import { CnnFeaturesPanel } from '../components/cnn/CnnFeaturesPanel';
import { CnnHyperPanel } from '../components/cnn/CnnHyperPanel';
import { PairsDataPanel } from '../components/cnn/PairsDataPanel';
import { DrawPanel } from '../components/DrawPanel';
import { ModelPanel } from '../components/ModelPanel';
import { TrainControls } from '../components/TrainControls';
import { WorkersSelect } from '../components/WorkersSelect';

/** Paired MNIST 00–99 with a one- or two-headed CNN; renders under the CNN page's store and controller. */
export function CnnPage() {
  return (
    <div className="grid">
      <div className="col-side">
        <PairsDataPanel />
        <CnnHyperPanel />
        <WorkersSelect />
        <AutotunePanel />
      </div>
      <div className="col-main">
        <TrainControls />
        <ChartsPanel />
        <ModelPanel />
      </div>
      <DrawPanel pair />
      <CnnFeaturesPanel />
      <CnnEvalPanel />
    </div>
  );
}
