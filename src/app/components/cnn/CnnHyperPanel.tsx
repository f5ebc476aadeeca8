import { useAppState } from '../../context';
import { CNN_VARIANTS, MAX_CNN_EPOCHS, parseCnnForm, type CnnForm, type CnnVariant } from '../../cnn-hyperparams';
import type { CnnRecipe } from '../../../train/presets';
import { CNN_SETTINGS } from '../../../train/settings/cnn-settings';
import { formLabelOf } from '../../../train/settings/schema';
import { Field, MemoryNote, RecipeRow, SettingCheck, SettingText } from '../HyperPanel';
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
      <RecipeRow recipes={CNN_SETTINGS.recipes} disabled={locked} onPick={(name: CnnRecipe) => controller.applyCnnRecipe(name)} />
      <Field label={formLabelOf(FIELDS.variant)} hint={FIELDS.variant.hint}>
        <select
          data-testid={FIELDS.variant.testId}
          value={form.variant}
          disabled={locked}
          onChange={(e) => controller.setCnnVariant(e.target.value as CnnVariant)}
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
      {text('warmup')}
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
        {text('plainEpochs', { off: !form.augment })}
      </div>
    </Panel>
  );
}
