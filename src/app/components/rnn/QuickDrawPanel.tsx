import type { SequenceDatasetInfo } from '../../../../workers/api';
import { QUICKDRAW_ID } from '../../../data/quickdraw';
import { QUICKDRAW_SAMPLE_ATTRIBUTION, QUICKDRAW_SAMPLE_PER_CLASS } from '../../../data/quickdraw-sample';
import { useAppState } from '../../context';
import { formatCount } from '../../format';
import type { QuickDrawForm } from '../../rnn-hyperparams';
import { FileDropZone } from '../FileDropZone';
import { Field } from '../HyperPanel';
import { Panel } from '../Panel';
import { StorageLine } from '../StorageLine';
import { DoodleGrid } from './DoodleGrid';
import { useRnnController, useRnnState } from './use-rnn';

function ClassTable({ info }: { info: SequenceDatasetInfo }) {
  return (
    <table className="class-table" data-testid="class-table">
      <thead>
        <tr><th>class</th><th>drawings</th><th>skipped</th><th /></tr>
      </thead>
      <tbody>
        {info.perClass.map((c) => (
          <tr key={c.name} data-class={c.name} title={c.firstProblem ?? undefined}>
            <td>{c.name}</td>
            <td>{formatCount(c.count)}</td>
            <td className={c.skipped ? 'bad' : undefined}>{c.skipped || ''}</td>
            <td>{c.done ? '✓' : '…'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function StoredData() {
  const selected = useRnnState((s) => s.selected);
  const interrupted = useRnnState((s) => s.datasets.find((d) => !d.complete) ?? null);
  return (
    <>
      {interrupted && (
        <div className="interrupted" data-testid="interrupted-load">
          <p className="small"><b>Interrupted:</b> {interrupted.name}. Press Load to resume where it stopped.</p>
          <ClassTable info={interrupted} />
        </div>
      )}
      {selected && (
        <div data-testid="sequence-info">
          <p className="small">
            <b>{selected.name}</b>: {formatCount(selected.counts.train)} train / {formatCount(selected.counts.dev)} dev /{' '}
            {formatCount(selected.counts.test)} test drawings
          </p>
          <ClassTable info={selected} />
        </div>
      )}
    </>
  );
}

function NdjsonDropZone({ disabled, onFiles }: { disabled: boolean; onFiles: (files: File[]) => void }) {
  return (
    <FileDropZone
      disabled={disabled}
      onFiles={onFiles}
      testId="ndjson-drop-zone"
      inputTestId="ndjson-files-input"
      accept=".ndjson,application/x-ndjson"
    >
      …or drop <code>&lt;class&gt;.ndjson</code> files here (one per class), or click to pick them.
    </FileDropZone>
  );
}

/** Where the drawings come from: a folder URL with one ndjson per class, or dropped files. */
export function QuickDrawPanel() {
  const controller = useRnnController();
  const form = useRnnState((s) => s.quickDraw);
  const load = useAppState((s) => s.load);
  const busy = useAppState((s) => s.load !== null || s.phase !== 'idle');
  const stored = useRnnState((s) => s.datasets);
  const field = (key: keyof QuickDrawForm, testId: string) => (
    <input
      data-testid={testId}
      value={form[key]}
      disabled={busy}
      spellCheck={false}
      onChange={(e) => controller.updateQuickDraw({ [key]: e.target.value })}
    />
  );
  return (
    <Panel title="1 · Quick, Draw! doodles">
      <p className="muted small">
        Simplified drawings (strokes of points in 0..255), read line by line from <code>&lt;folder&gt;/&lt;class&gt;.ndjson</code> and
        kept in this browser. An interrupted download resumes where it stopped.
      </p>
      <p className="muted small" data-testid="quickdraw-sample-note">
        On the first visit the page stores its bundled sample, {formatCount(QUICKDRAW_SAMPLE_PER_CLASS)} drawings of each of 10
        animals, so Train works offline at once; load more below. <span data-testid="quickdraw-attribution">{QUICKDRAW_SAMPLE_ATTRIBUTION}</span>{' '}
        (<a href="https://github.com/googlecreativelab/quickdraw-dataset">The Quick, Draw! Dataset</a>,{' '}
        <a href="https://creativecommons.org/licenses/by/4.0/">license</a>).
      </p>
      <Field label="Folder URL" hint="Under npm start, /quickdraw/ is Quick Draw's public simplified folder">{field('base', 'quickdraw-base-input')}</Field>
      <Field label="Classes" hint="Comma-separated Quick Draw class names">{field('classes', 'quickdraw-classes-input')}</Field>
      <Field label="Drawings per class" hint="The first N drawings of each class file">{field('perClass', 'quickdraw-per-class-input')}</Field>
      <button type="button" className="primary" data-testid="load-quickdraw-button" disabled={busy} onClick={() => void controller.loadRemote()}>
        Load
      </button>
      <NdjsonDropZone disabled={busy} onFiles={(files) => void controller.loadFiles(files)} />
      {load && (
        <div className="load-progress">
          <progress data-testid="data-progress" max={1} value={load.fraction} aria-valuenow={Math.round(load.fraction * 100)} />
          <span className="muted" data-testid="data-progress-text">{load.phase} · {Math.round(load.fraction * 100)}%</span>
        </div>
      )}
      <StoredData />
      <StorageLine largeDataStored={stored.some((d) => d.complete && d.id === QUICKDRAW_ID)} refresh={stored} />
    </Panel>
  );
}

/** A few training drawings of each class, as the stored strokes draw them. */
export function PreviewPanel() {
  const previews = useRnnState((s) => s.previews);
  if (previews.length === 0) return null;
  return (
    <Panel title="What the drawings look like" className="span-all">
      <DoodleGrid doodles={previews} testId="doodle-previews" />
    </Panel>
  );
}
