/**
 * Shareable settings: the MLP page's network and hyperparameters (and dataset) live in the URL
 * hash, '#/mlp?lr=0.001&batch=128&hidden=256,128,64&act=relu…', so a copied link reproduces the
 * setup. The form writes the hash with replaceState (no history entry per keystroke); a link
 * opened fills the form, and values that do not parse are ignored with a message.
 */
import { DEFAULT_FORM, parseHyperForm, type HyperForm } from './hyperparams';

/** Short, stable URL names of the form fields (links must keep working: never rename one). */
export const URL_KEYS: Record<keyof HyperForm, string> = {
  hidden: 'hidden', activation: 'act', optimizer: 'opt', lr: 'lr', schedule: 'sched', momentum: 'mom',
  batchSize: 'batch', l2: 'l2', epochs: 'epochs', seed: 'seed', trainPercent: 'split', dropout: 'drop',
};
export const DATASET_KEY = 'data';

const FIELD_OF_KEY = new Map(Object.entries(URL_KEYS).map(([field, key]) => [key, field as keyof HyperForm]));

export interface HashSettings {
  /** The route name before '?', e.g. 'mlp'. */
  route: string;
  /** Valid form fields found in the hash. */
  patch: Partial<HyperForm>;
  dataset: string | null;
  /** What was not applied, each as "key=value: why". */
  ignored: string[];
}

/** '#/mlp?lr=0.01' → route 'mlp' and the query ('' when there is none). */
export function splitHash(hash: string): { route: string; query: string } {
  const body = hash.replace(/^#\/?/, '');
  const q = body.indexOf('?');
  return q < 0 ? { route: body, query: '' } : { route: body.slice(0, q), query: body.slice(q + 1) };
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
 * only itself). Unknown keys are reported too: a typo should not pass silently.
 */
export function parseSettingsHash(hash: string, base: HyperForm = DEFAULT_FORM): HashSettings {
  const { route, query } = splitHash(hash);
  const result: HashSettings = { route, patch: {}, dataset: null, ignored: [] };
  for (const [key, value] of new URLSearchParams(query)) {
    if (key === DATASET_KEY) {
      if (/^[\w.-]{1,64}$/.test(value)) result.dataset = value;
      else result.ignored.push(`${key}=${value}: not a dataset id`);
      continue;
    }
    const field = FIELD_OF_KEY.get(key);
    if (!field) {
      result.ignored.push(`${key}=${value}: unknown setting`);
      continue;
    }
    const parsed = parseHyperForm({ ...base, [field]: value });
    if (parsed.ok) result.patch[field] = value as never;
    else result.ignored.push(`${key}=${value}: ${parsed.error}`);
  }
  // Fields valid alone can still clash (none do today); keep the link's values only if they parse together.
  if (!parseHyperForm({ ...base, ...result.patch }).ok) {
    result.ignored.push('the settings together do not form a valid network');
    result.patch = {};
  }
  return result;
}

/** True when the form already holds every value of the patch. */
export function formHas(form: HyperForm, patch: Partial<HyperForm>): boolean {
  return (Object.keys(patch) as (keyof HyperForm)[]).every((k) => form[k] === patch[k]);
}
