import { formatCount } from '../../format';
import { useAppState } from '../../context';
import { MAX_RNN_EPOCHS, parseRnnForm, rnnParameterCount, type RnnForm } from '../../rnn-hyperparams';
import { RNN_SETTINGS } from '../../../train/settings/rnn-settings';
import { inRange } from '../../../train/settings/schema';
import { CheckField, Field, FormText, MemoryNote } from '../HyperPanel';
import { Panel } from '../Panel';
import { useRnnController, useRnnState } from './use-rnn';

/** The BiGRU's parameter count, or why the sizes typed cannot make one (the schema's ranges). */
function ParamCount({ form, classes }: { form: RnnForm; classes: number }) {
  const hidden = inRange(RNN_SETTINGS.fields.hidden.range, form.hidden);
  const layers = inRange(RNN_SETTINGS.fields.layers.range, form.layers);
  const problem = !hidden.ok ? hidden.error : !layers.ok ? layers.error : null;
  if (problem !== null || !hidden.ok || !layers.ok) {
    return <p className="param-count error-text" data-testid="param-count">{problem}</p>;
  }
  return (
    <p className="param-count" data-testid="param-count">
      <strong>{formatCount(rnnParameterCount(hidden.value, layers.value, classes))}</strong> trainable parameters · BiGRU{' '}
      {layers.value}×{hidden.value} → {classes}
    </p>
  );
}

export function RnnHyperPanel() {
  const controller = useRnnController();
  const form = useRnnState((s) => s.form);
  const classes = useRnnState((s) => s.selected?.classes.length ?? 10);
  const locked = useAppState((s) => s.phase !== 'idle');
  const text = (key: Exclude<keyof RnnForm, 'mirrorAugment'>, testId: string, placeholder?: string) => (
    <FormText
      testId={testId}
      value={form[key]}
      placeholder={placeholder}
      disabled={locked}
      onChange={(value) => controller.updateRnnForm({ [key]: value })}
    />
  );
  return (
    <Panel title="2 · Network & training">
      <p className="muted small">
        Each drawing is a sequence of pen moves (dx, dy, pen lifted). A bidirectional GRU reads it forwards and
        backwards; its two final states feed a linear classifier. AdamW with cosine decay, best dev epoch kept.
        The defaults reached 90.3% on the 3,855 held-out drawings of the 10 animals (16 epochs, about an hour on
        one core); a few hundred drawings per class and 2–3 epochs make a quick first run.
      </p>
      <div className="field-row">
        <Field label="Hidden size" hint="GRU units per direction">{text('hidden', 'hidden-input')}</Field>
        <Field label="Layers" hint="Stacked bidirectional GRU layers (1–4)">{text('layers', 'layers-input')}</Field>
        <Field label="Max steps" hint="Points read per drawing; longer drawings are cut">{text('maxLen', 'max-len-input')}</Field>
      </div>
      <ParamCount form={form} classes={classes} />
      <div className="field-row">
        <Field label={`Epochs (≤ ${MAX_RNN_EPOCHS})`}>{text('epochs', 'epochs-input')}</Field>
        <Field label="Batch size">{text('batchSize', 'batch-input')}</Field>
        <Field label="Learning rate">{text('lr', 'lr-input')}</Field>
      </div>
      <MemoryNote run={parseRnnForm(form)} />
      <div className="field-row">
        <Field label="Weight decay" hint="AdamW's decoupled decay of the weights per step (× learning rate)">
          {text('weightDecay', 'weight-decay-input')}
        </Field>
        <Field
          label="Weight averaging"
          hint="Evaluate and keep a moving average of the weights with this decay (e.g. 0.999): steadier than the last step's weights; 0 = off"
        >
          {text('average', 'average-input')}
        </Field>
      </div>
      <div className="field-row">
        <Field label="Dropout" hint="Between GRU layers (needs 2+ layers)">{text('dropout', 'dropout-input')}</Field>
        <Field label="Head dropout" hint="On the two final states the classifier reads (training only); 0 = off">
          {text('headDropout', 'head-dropout-input')}
        </Field>
        <Field label="Label smoothing">{text('labelSmoothing', 'label-smoothing-input')}</Field>
        <Field label="Clip norm" hint="Global gradient-norm clipping; 0 = off">{text('clip', 'clip-input')}</Field>
      </div>
      <div className="field-row">
        <Field label="Stroke scale ±" hint="Augmentation: each training drawing's moves × a random factor in [1 − s, 1 + s]; 0 = off">
          {text('scaleAugment', 'scale-augment-input')}
        </Field>
        <Field label="Stretch ±" hint="Augmentation: dx and dy each × their own random factor in [1 − s, 1 + s]; 0 = off">
          {text('stretchAugment', 'stretch-augment-input')}
        </Field>
        <Field label="Rotate ± (°)" hint="Augmentation: the pen moves turned by a random angle up to this many degrees; 0 = off">
          {text('rotateAugment', 'rotate-augment-input')}
        </Field>
      </div>
      <CheckField
        label="Mirror half the drawings"
        hint="Augmentation: flip each training drawing left–right with probability ½ (an animal facing the other way is the same animal)"
        testId="mirror-augment-checkbox"
        checked={form.mirrorAugment}
        disabled={locked}
        onChange={(mirrorAugment) => controller.updateRnnForm({ mirrorAugment })}
      />
      <div className="field-row">
        <Field label="Seed" hint="Same seed, same run">{text('seed', 'seed-input')}</Field>
        <Field label="Train on N drawings" hint="Empty = all; an even share per class, for quick runs">
          {text('trainLimit', 'train-limit-input', 'all')}
        </Field>
      </div>
    </Panel>
  );
}
