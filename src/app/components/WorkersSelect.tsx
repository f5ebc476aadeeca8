import { useStore } from 'zustand';
import { useAppState } from '../context';
import { isolationStore } from '../isolation';
import { setWorkers, workerChoices, workersStore } from '../workers-setting';

/**
 * "Workers": how many threads share each training batch (data parallelism, test id
 * `workers-select`). Without cross-origin isolation there is no shared memory: it stays at 1
 * and says why.
 */
export function WorkersSelect() {
  const state = useStore(workersStore);
  const locked = useAppState((s) => s.phase !== 'idle');
  const choices = workerChoices(state);
  const notIsolatedWhy = useStore(isolationStore, (s) => s.reason);
  return (
    <section className="panel workers-setting" aria-label="Workers">
      <label className="field" title="Each batch is split across this many workers; their gradients are summed before the update">
        <span>Workers</span>
        <select
          data-testid="workers-select"
          value={state.workers}
          disabled={locked || !state.isolated}
          onChange={(e) => setWorkers(Number(e.target.value))}
          aria-describedby="workers-note"
        >
          {choices.map((n) => (
            <option key={n} value={n}>
              {n === 1 ? '1 (one thread)' : `${n}`}
            </option>
          ))}
        </select>
      </label>
      <p id="workers-note" data-testid="workers-note" className="param-count">
        {state.isolated
          ? `${state.cores} cores seen · WebGL2 kernels train on 1 worker`
          : (notIsolatedWhy ?? 'This page is not cross-origin isolated (no COOP/COEP headers), so training uses 1 worker')}
      </p>
    </section>
  );
}
