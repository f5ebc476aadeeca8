/**
 * Shareable settings: the MLP page's network and hyperparameters (and dataset) live in the URL
 * hash, '#/mlp?lr=0.001&batch=128&hidden=256,128,64&act=relu…', so a copied link reproduces the
 * setup. The form writes the hash with replaceState (no history entry per keystroke); a link
 * opened fills the form, and values that do not parse are ignored with a message.
 */
import { ignoredText, linkPairs, readFormPairs, splitHash } from './form-link';
import { DEFAULT_FORM, parseHyperForm, type HyperForm } from './hyperparams';

/** Short, stable URL names of the form fields (links must keep working: never rename one). */
export const URL_KEYS: Record<keyof HyperForm, string> = {
  hidden: 'hidden', activation: 'act', optimizer: 'opt', lr: 'lr', schedule: 'sched', momentum: 'mom',
  batchSize: 'batch', l2: 'l2', epochs: 'epochs', seed: 'seed', trainPercent: 'split', dropout: 'drop',
  labelSmoothing: 'smooth',
};
export const DATASET_KEY = 'data';
export { splitHash } from './form-link';

export interface HashSettings {
  /** The route name before '?', e.g. 'mlp'. */
  route: string;
  /** Valid form fields found in the hash. */
  patch: Partial<HyperForm>;
  dataset: string | null;
  /** What was not applied, each as "key=value: why". */
  ignored: string[];
}

/** The hash for a route with these settings; every field is written so defaults changing later cannot alter a link. */
export function settingsHash(route: string, form: HyperForm, dataset: string | null): string {
  const params = new URLSearchParams();
  for (const [field, key] of Object.entries(URL_KEYS) as [keyof HyperForm, string][]) {
    const value = form[field] ?? DEFAULT_FORM[field];
    if (value !== undefined) params.set(key, String(value).replace(/\s+/g, ''));
  }
  if (dataset) params.set(DATASET_KEY, dataset);
  // Commas are legal in a fragment and far easier to read than %2C.
  return `#/${route}?${params.toString().replace(/%2C/gi, ',')}`;
}

/**
 * Reads the settings of a hash, each checked on its own against `base` (so one bad value costs
 * only itself), then together. Unknown keys are reported too (a typo should not pass silently),
 * summed up in one entry; form-link.ts bounds the work whatever the hash's length.
 */
export function parseSettingsHash(hash: string, base: HyperForm = DEFAULT_FORM): HashSettings {
  const { route, query } = splitHash(hash);
  const { pairs, unread } = linkPairs(query);
  const result: HashSettings = { route, patch: {}, dataset: null, ignored: [] };
  const formPairs: [string, string][] = [];
  for (const [key, value] of pairs) {
    if (key !== DATASET_KEY) formPairs.push([key, value]);
    else if (/^[\w.-]{1,64}$/.test(value)) result.dataset = value;
    else result.ignored.push(`${key}=${value.slice(0, 64)}: not a dataset id`);
  }
  const full: Required<HyperForm> = { ...DEFAULT_FORM, dropout: '0', labelSmoothing: DEFAULT_FORM.labelSmoothing, ...base } as Required<HyperForm>;
  const reading = readFormPairs(formPairs, URL_KEYS, full, (form) => {
    const parsed = parseHyperForm(form);
    return parsed.ok ? null : parsed.error;
  });
  result.patch = reading.patch;
  const unknown = ignoredText([], reading.unknownKeys, unread);
  result.ignored.push(...reading.problems, ...(unknown === null ? [] : [unknown]));
  return result;
}

/** True when the form already holds every value of the patch. */
export function formHas(form: HyperForm, patch: Partial<HyperForm>): boolean {
  return (Object.keys(patch) as (keyof HyperForm)[]).every((k) => form[k] === patch[k]);
}
