import { useAppState } from '../context';

/** The latest message or error, on every page (A3 test id `status`). */
export function StatusBar() {
  const status = useAppState((s) => s.status);
  return (
    <div className={`status status-${status.kind}`} role="status" aria-live="polite">
      <span className="status-dot" aria-hidden="true" />
      <span data-testid="status">{status.text}</span>
    </div>
  );
}
