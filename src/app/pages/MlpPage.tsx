import { ChartsPanel } from '../components/ChartsPanel';
import { DataPanel } from '../components/DataPanel';
import { DrawPanel } from '../components/DrawPanel';
import { EvalPanel } from '../components/EvalPanel';
import { FirstLayerPanel } from '../components/FirstLayerPanel';
import { FirstSteps } from '../components/FirstSteps';
import { SweepPanel } from '../components/SweepPanel';
import { HyperPanel } from '../components/HyperPanel';
import { LearnerHint } from '../components/LearnerHint';
import { ModelPanel } from '../components/ModelPanel';
import { TrainControls } from '../components/TrainControls';
import { WorkersSelect } from '../components/WorkersSelect';

export function MlpPage() {
  return (
    <div className="grid">
      <FirstSteps />
      <LearnerHint />
      <div className="col-side">
        <DataPanel />
        <HyperPanel />
        <WorkersSelect />
        <SweepPanel />
      </div>
      <div className="col-main">
        <TrainControls />
        <ChartsPanel />
        <ModelPanel />
        <FirstLayerPanel />
      </div>
      <DrawPanel />
      <EvalPanel />
    </div>
  );
}
