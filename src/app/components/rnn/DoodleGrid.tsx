import type { DoodlePreview } from '../../../../workers/api';
import { DoodleCanvas } from './DoodleCanvas';

/** One row per class: its name, then its drawings. */
export function DoodleGrid({ doodles, testId }: { doodles: DoodlePreview[]; testId: string }) {
  const rows = new Map<string, DoodlePreview[]>();
  for (const d of doodles) rows.set(d.label, [...(rows.get(d.label) ?? []), d]);
  return (
    <div className="doodle-grid" data-testid={testId}>
      {[...rows].map(([label, items]) => (
        <div className="doodle-row" key={label} data-class={label}>
          <b>{label}</b>
          {items.map((d, i) => <DoodleCanvas key={i} strokes={d.strokes} size={52} label={`a ${label} from the training data`} />)}
        </div>
      ))}
    </div>
  );
}
