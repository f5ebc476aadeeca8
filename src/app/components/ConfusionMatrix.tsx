import { memo } from 'react';
import { cssRgb, overWhite, textOn, type Rgb } from './readable-colour';

const DIAGONAL_HUE: Rgb = [14, 165, 233]; // the accent
const ERROR_HUE: Rgb = [239, 68, 68];

/**
 * Cell colour: the diagonal in the accent hue by row share, errors in red scaled to the worst
 * error; the count in black or white, whichever is readable on that shade.
 */
function cellStyle(count: number, rowTotal: number, isDiagonal: boolean, maxError: number): React.CSSProperties {
  if (count === 0) return {};
  const share = rowTotal ? count / rowTotal : 0;
  const heat = maxError ? Math.sqrt(count / maxError) : 0;
  const background = isDiagonal ? overWhite(DIAGONAL_HUE, 0.15 + 0.75 * share) : overWhite(ERROR_HUE, 0.12 + 0.78 * heat);
  return { background: cssRgb(background), color: textOn(background) };
}

/** confusion[true][predicted] as a heat-coloured table. */
export const ConfusionMatrix = memo(function ConfusionMatrix(props: {
  confusion: number[][];
  classes: string[];
  testId?: string;
  caption?: string;
}) {
  const { confusion, classes } = props;
  let maxError = 0;
  confusion.forEach((row, t) => row.forEach((c, p) => {
    if (t !== p && c > maxError) maxError = c;
  }));
  return (
    <div className="confusion-wrap">
      <table className="confusion" data-testid={props.testId ?? 'confusion-matrix'}>
        <caption>{props.caption ?? 'Confusion matrix: rows = true digit, columns = predicted'}</caption>
        <thead>
          <tr>
            <th scope="col" className="corner">true ╲ pred</th>
            {classes.map((c) => <th key={c} scope="col">{c}</th>)}
          </tr>
        </thead>
        <tbody>
          {confusion.map((row, t) => {
            const total = row.reduce((a, b) => a + b, 0);
            return (
              <tr key={classes[t]}>
                <th scope="row">{classes[t]}</th>
                {row.map((count, p) => (
                  <td key={p} style={cellStyle(count, total, t === p, maxError)} title={`true ${classes[t]}, predicted ${classes[p]}: ${count}`}>
                    {count || ''}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
});
