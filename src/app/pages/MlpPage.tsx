import { ChartsPanel } from '../components/ChartsPanel';
import { DataPanel } from '../components/DataPanel';
import { DrawPanel } from '../components/DrawPanel';
import { EvalPanel } from '../components/EvalPanel';
import { HyperPanel } from '../components/HyperPanel';
import { LearnerHint } from '../components/LearnerHint';
import { ModelPanel } from '../components/ModelPanel';
import { TrainControls } from '../components/TrainControls';

export function MlpPage() {
  return (
    <div className="grid">
      <LearnerHint />
      <div className="col-side">
        <DataPanel />
        <HyperPanel />
      </div>
      <div className="col-main">
        <TrainControls />
        <ChartsPanel />
        <ModelPanel />
      </div>
      <DrawPanel />
      <EvalPanel />
    </div>
  );
}
