import { useContext } from 'react';
import type { BackendPreference } from '../../../workers/api';
import { BACKEND_CHOICES } from '../kernel-choice';
import { useBackendServices, useBackendState } from '../backend-context';
import { AppContext } from '../context';
import { networkOfRoute, type Route } from '../route';

/**
 * Auto / CPU / WebGL2, in the header of every page (test ids `backend-select`, `backend-note`).
 * Auto times the current page's network; the status line of the current page tells the outcome.
 */
export function BackendSelect({ route }: { route: Route }) {
  const services = useBackendServices();
  const page = useContext(AppContext)?.store ?? null;
  const choice = useBackendState((s) => s.choice);
  const note = useBackendState((s) => s.note);
  const switching = useBackendState((s) => s.switching);
  const fallback = useBackendState((s) => s.fallback);
  if (!services) return null;
  return (
    <div className="backend">
      <label className="backend-choice">
        <span>Kernels</span>
        <select
          data-testid="backend-select"
          value={choice}
          disabled={switching}
          onChange={(e) => void services.controller.choose(e.target.value as BackendPreference, networkOfRoute(route), page)}
          aria-describedby="backend-note"
        >
          {BACKEND_CHOICES.map((c) => (
            <option key={c.value} value={c.value} title={c.title}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <span id="backend-note" data-testid="backend-note" className={fallback ? 'backend-note fallback' : 'backend-note'} aria-live="polite">
        {note ?? ''}
      </span>
    </div>
  );
}
