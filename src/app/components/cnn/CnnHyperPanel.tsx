import { useAppState } from '../../context';
import { CNN_VARIANTS, MAX_CNN_EPOCHS, cnnRecipeForm, parseCnnForm, type CnnForm, type CnnVariant } from '../../cnn-hyperparams';
import { CNN_SETTINGS } from '../../../train/settings/cnn-settings';
import { formLabelOf } from '../../../train/settings/schema';
import { Field, MemoryNote, SettingCheck, SettingText } from '../HyperPanel';
import { Panel } from '../Panel';
import { useCnnController } from './use-cnn-controller';

const VARIANT_LABELS: Record<CnnVariant, string> = {
  cnn: 'One head: 100 classes',
  cnn2head: 'Two heads: tens + ones',
};

type TextKey = Exclude<keyof CnnForm, 'variant' | 'augment' | 'remix' | 'cosine' | 'standardize'>;
type CheckKey = 'augment' | 'remix' | 'cosine' | 'standardize';
const FIELDS = CNN_SETTINGS.fields;

export function CnnHyperPanel() {
  const controller = useCnnController();
  const form = useAppState((s) => s.pages.cnn.form);
  const locked = useAppState((s) => s.phase !== 'idle');
  const text = (key: TextKey, opts: { placeholder?: string; off?: boolean; label?: string } = {}) => (
    <SettingText
      name={key}
      field={FIELDS[key]}
      value={form[key]}
      label={opts.label}
      placeholder={opts.placeholder}
      disabled={locked || opts.off === true}
      onChange={(value) => controller.updateCnnForm({ [key]: value })}
    />
  );
  const check = (key: CheckKey, checked: boolean, off = false) => (
    <SettingCheck
      name={key}
      field={FIELDS[key]}
      checked={checked}
      disabled={locked || off}
      onChange={(on) => controller.updateCnnForm({ [key]: on })}
    />
  );

  return (
    <Panel title="2 · Network & training">
      <p className="muted small">
        conv 3×3 ×16 → pool → conv 3×3 ×32 → pool → fc 256 → dropout → output; Adam.
      </p>
      <div className="recipe-row">
        <span className="muted small">Fill in a recipe:</span>
        <button
          type="button"
          data-testid="recipe-fast-button"
          disabled={locked}
          title="The default, for a result in minutes: re-paired digits, shifts and jitter, pixels / 255, no dropout, 8 epochs with cosine decay"
          onClick={() => controller.updateCnnForm(cnnRecipeForm('fast'))}
        >
          Fast
        </button>
        <button
          type="button"
          data-testid="recipe-seed-button"
          disabled={locked}
          title="Seed 003 as written: dropout 0.4, constant learning rate, up to 20 epochs with early stopping (97.9% in the write-up)"
          onClick={() => controller.updateCnnForm(cnnRecipeForm('seed'))}
        >
          Seed 003
        </button>
        <button
          type="button"
          data-testid="recipe-tuned-button"
          disabled={locked}
          title="Re-paired digits in every batch, each digit rotated ±12° and scaled ±12%, no dropout, a moving average of the weights, 50 epochs with cosine decay: 98.6% on the 10,000 test pairs (vs 97.3% for the seed recipe here)"
          onClick={() => controller.updateCnnForm(cnnRecipeForm('tuned'))}
        >
          Tuned
        </button>
      </div>
      <Field label={formLabelOf(FIELDS.variant)} hint={FIELDS.variant.hint}>
        <select
          data-testid={FIELDS.variant.testId}
          value={form.variant}
          disabled={locked}
          onChange={(e) => controller.updateCnnForm({ variant: e.target.value as CnnVariant })}
        >
          {CNN_VARIANTS.map((v) => <option key={v} value={v}>{VARIANT_LABELS[v]}</option>)}
        </select>
      </Field>
      <div className="field-row">
        {text('lr')}
        {text('l2')}
        {text('batchSize')}
        {text('dropout')}
      </div>
      <MemoryNote run={parseCnnForm(form)} />
      {check('cosine', form.cosine)}
      {check('standardize', form.standardize)}
      <div className="field-row">
        {text('epochs', { label: `Epochs (≤ ${MAX_CNN_EPOCHS})` })}
        {text('patience')}
        {text('seed')}
        {text('average')}
      </div>
      {text('digitLoss', { off: form.variant !== 'cnn' })}
      {text('trainLimit', { placeholder: 'all' })}
      {check('augment', form.augment)}
      {check('remix', form.augment && form.remix, !form.augment)}
      <div className="field-row">
        {text('warpRotate', { off: !form.augment })}
        {text('warpScale', { off: !form.augment })}
      </div>
    </Panel>
  );
}
