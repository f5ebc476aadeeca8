import { useAppState } from '../context';
import type { TrainingPhase } from '../page-state';

function hintFor(phase: TrainingPhase, hasModel: boolean, hasEpochs: boolean): string {
  if (phase === 'running' || phase === 'starting') {
    return 'The network sees a batch of digits, guesses, measures how wrong it was (the loss), and nudges ' +
      'every weight a little in the direction that would have made it less wrong. The loss curve should ' +
      'fall; after each pass over the data (an epoch) it checks itself on digits held out for "dev".';
  }
  if (phase === 'paused') return 'Paused mid-epoch. Try drawing a digit: the half-trained network already guesses.';
  if (hasEpochs) {
    return 'Compare train and dev accuracy: when train keeps rising but dev does not, the network memorises ' +
      'instead of learning (the gap grows). The test set was never used for any decision, so its accuracy is honest.';
  }
  if (hasModel) return 'A trained model is loaded. Draw a digit on the canvas, or press Train to start a fresh network.';
  return 'A multilayer perceptron turns the 784 pixels of a digit into 10 scores through layers of weighted sums. ' +
    'It starts with random weights; press Train and watch it learn from thousands of handwritten examples.';
}

export function LearnerHint() {
  const phase = useAppState((s) => s.phase);
  const hasModel = useAppState((s) => s.model !== null);
  const hasEpochs = useAppState((s) => s.epochPoints.length > 0);
  return (
    <aside className="hint span-all" aria-label="What's happening">
      <strong>What’s happening?</strong> {hintFor(phase, hasModel, hasEpochs)}
    </aside>
  );
}
