/** One horizontal bar per class; the top class highlighted. */
export function ProbBars({ probs, classes }: { probs: number[] | null; classes: string[] }) {
  let top = -1;
  if (probs) for (let i = 0; i < probs.length; i++) if (top < 0 || probs[i] > probs[top]) top = i;
  return (
    <ol className="prob-bars" data-testid="prob-bars" aria-label="Class probabilities">
      {classes.map((label, i) => {
        const p = probs?.[i] ?? 0;
        return (
          <li key={label} className={i === top ? 'top' : undefined}>
            <span className="prob-label">{label}</span>
            <span className="prob-track">
              <span className="prob-fill" style={{ width: `${(p * 100).toFixed(1)}%` }} />
            </span>
            <span className="prob-value">{probs ? `${(p * 100).toFixed(p >= 0.995 || p < 0.01 ? 0 : 1)}%` : ''}</span>
          </li>
        );
      })}
    </ol>
  );
}
