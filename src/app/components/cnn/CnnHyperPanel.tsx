import { useAppState } from '../../context';
import { CNN_VARIANTS, MAX_CNN_EPOCHS, cnnRecipeForm, parseCnnForm, type CnnForm, type CnnVariant } from '../../cnn-hyperparams';
import { CheckField, Field, FormText, MemoryNote } from '../HyperPanel';
import { Panel } from '../Panel';
import { useCnnController } from './use-cnn-controller';

const VARIANT_LABELS: Record<CnnVariant, string> = {
  cnn: 'One head: 100 classes',
  cnn2head: 'Two heads: tens + ones',
};

type TextKey = Exclude<keyof CnnForm, 'variant' | 'augment' | 'remix' | 'cosine'>;

export function CnnHyperPanel() {
  const controller = useCnnController();
  const form = useAppState((s) => s.cnnForm);
  const locked = useAppState((s) => s.phase !== 'idle');
  const text = (key: TextKey, testId: string, placeholder?: string, off = false) => (
    <FormText
      testId={testId}
      value={form[key]}
      placeholder={placeholder}
      disabled={locked || off}
      onChange={(value) => controller.updateCnnForm({ [key]: value })}
    />
  );

  return (
    <Panel title="2 · Network & training">
      <p className="muted small">
        conv 3×3 ×16 → pool → conv 3×3 ×32 → pool → fc 256 → dropout → output; Adam, inputs standardized.
      </p>
      <div className="recipe-row">
        <span className="muted small">Fill in a recipe:</span>
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
      <Field label="Network" hint="One 100-way classifier, or one 10-way head per digit">
        <select
          data-testid="variant-select"
          value={form.variant}
          disabled={locked}
          onChange={(e) => controller.updateCnnForm({ variant: e.target.value as CnnVariant })}
        >
          {CNN_VARIANTS.map((v) => <option key={v} value={v}>{VARIANT_LABELS[v]}</option>)}
        </select>
      </Field>
      <div className="field-row">
        <Field label="Learning rate">{text('lr', 'lr-input')}</Field>
        <Field label="L2 λ" hint="Weight decay added to the gradient (weights only)">{text('l2', 'l2-input')}</Field>
        <Field label="Batch size">{text('batchSize', 'batch-input')}</Field>
        <Field label="Dropout" hint="Fraction of the fc 256 units dropped per training example (0 = off)">
          {text('dropout', 'dropout-input')}
        </Field>
      </div>
      <MemoryNote run={parseCnnForm(form)} />
      <CheckField
        label="Cosine learning-rate decay"
        hint="Lower the learning rate along a cosine to 1% of it by the last epoch"
        testId="cosine-checkbox"
        checked={form.cosine}
        disabled={locked}
        onChange={(cosine) => controller.updateCnnForm({ cosine })}
      />
      <div className="field-row">
        <Field label={`Epochs (≤ ${MAX_CNN_EPOCHS})`}>{text('epochs', 'epochs-input')}</Field>
        <Field label="Patience" hint="Early stopping: epochs without a better dev accuracy before stopping; 0 = off">
          {text('patience', 'patience-input')}
        </Field>
        <Field label="Seed" hint="Same seed, same run">{text('seed', 'seed-input')}</Field>
        <Field label="Weight averaging" hint="Evaluate and keep a moving average of the weights with this decay (e.g. 0.999): steadier than the last step's weights; 0 = off">
          {text('average', 'average-input')}
        </Field>
      </div>
      <Field label="Train on the first N pairs" hint="Empty = all; a few thousand make a quick run">
        {text('trainLimit', 'train-limit-input', 'all')}
      </Field>
      <CheckField
        label="Augmentation (shift ±2 px, contrast jitter)"
        hint="Random shifts of ±2 px and contrast/brightness jitter, per training batch"
        testId="augment-checkbox"
        checked={form.augment}
        disabled={locked}
        onChange={(augment) => controller.updateCnnForm({ augment })}
      />
      <CheckField
        label="Re-pair digits in every batch"
        hint="Deal the right-hand digits of each batch to new partners: the same digit images make new two-digit numbers every epoch, so the 100-way classifier cannot memorize the 60,000 fixed pairs"
        testId="remix-checkbox"
        checked={form.augment && form.remix}
        disabled={locked || !form.augment}
        onChange={(remix) => controller.updateCnnForm({ remix })}
      />
      <div className="field-row">
        <Field label="Rotate digits ± (°)" hint="Augmentation: each digit of a pair turned by its own random angle up to this many degrees; 0 = off">
          {text('warpRotate', 'warp-rotate-input', undefined, !form.augment)}
        </Field>
        <Field label="Scale digits ±" hint="Augmentation: each digit resized by its own random factor in [1 − s, 1 + s]; 0 = off">
          {text('warpScale', 'warp-scale-input', undefined, !form.augment)}
        </Field>
      </div>
    </Panel>
  );
}
