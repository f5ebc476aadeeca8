import { useState } from 'react';
import { LINES_ID } from '../../data/lines';
import { useAppState, useController } from '../context';
import { PlaygroundController } from '../playground-controller';
import { PRESETS } from '../first-steps-presets';

const VISITED_KEY = 'scratchnet.visited';

function firstVisit(): boolean {
  try {
    return globalThis.localStorage?.getItem(VISITED_KEY) !== '1';
  } catch {
    return false;
  }
}

function markVisited(): void {
  try {
    globalThis.localStorage?.setItem(VISITED_KEY, '1');
  } catch {
    // The hint shows again next time; nothing worse.
  }
}

/**
 * What to click first: the lines toy (trains to 100% in seconds), then the smallest MNIST network,
 * then the default deep one. A first-time visitor sees it spelled out.
 */
export function FirstSteps() {
  const controller = useController();
  const idle = useAppState((s) => s.phase === 'idle' && s.load === null);
  const ready = useAppState((s) => s.datasets.length > 0);
  const onLines = useAppState((s) => s.datasetId === LINES_ID);
  const [isNew, setIsNew] = useState(firstVisit);
  if (!(controller instanceof PlaygroundController)) return null;
  const run = (id: 'lines' | 'mnist16', train: boolean) => {
    markVisited();
    setIsNew(false);
    void controller.applyPreset(id, train);
  };
  return (
    <section className="panel first-steps span-all" aria-label="First steps" data-testid="first-steps">
      {isNew && (
        <p className="first-visit" data-testid="first-visit-hint">
          <strong>New here?</strong> Click <em>① Train the lines toy</em>: a tiny network learns to tell horizontal from vertical
          lines in a few seconds. Then try ② on handwritten digits, or press <em>▶ Train</em> for the full network.{' '}
          <button type="button" className="link" onClick={() => { markVisited(); setIsNew(false); }}>Got it</button>
        </p>
      )}
      <div className="buttons">
        <button
          type="button"
          className="primary"
          data-testid="preset-lines"
          title={PRESETS.lines.description}
          disabled={!idle || !ready}
          onClick={() => run('lines', true)}
        >
          ① Train the lines toy (256-16-2)
        </button>
        <button
          type="button"
          data-testid="preset-mnist16"
          title={PRESETS.mnist16.description}
          disabled={!idle || !ready}
          onClick={() => run('mnist16', false)}
        >
          ② MNIST preset: 784-16-10
        </button>
        <span className="muted first-steps-note">
          ③ Then change one setting at a time — or run a <button type="button" className="link" onClick={() => document.getElementById('sweep')?.scrollIntoView({ behavior: 'smooth' })}>sweep</button> — and compare the curves in <a href="#/runs">Runs</a>.
        </span>
      </div>
      {onLines && (
        <p className="muted" data-testid="lines-note">
          You are on the lines toy: 16×16 images, 2 classes, generated in this page. Preset ② or the dataset selector takes you back to MNIST.
        </p>
      )}
    </section>
  );
}
