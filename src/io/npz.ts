/**
 * NumPy .npz archives: a zip of .npy members, key = member name without '.npy'.
 * Reads np.savez and np.savez_compressed output; writes uncompressed archives numpy loads with
 * allow_pickle=False.
 */
import { encodeNpy, parseNpy, type NpyArray } from './npy';
import { isZip, readZip, writeZip, type ZipEntry, type ZipReadOptions } from './zip';

export type { NpyArray, NpyData, NpyDtype } from './npy';

export const NPZ_METADATA_KEY = '__metadata__';

export type NpzReadOptions = Omit<ZipReadOptions, 'wanted'>;

/**
 * Every array of an .npz archive, in archive order. Only `.npy` members are inflated (the
 * `__metadata__` array is one); the zip reader bounds the work (see ZipReadOptions).
 */
export async function readNpz(bytes: Uint8Array, options: NpzReadOptions = {}): Promise<Map<string, NpyArray>> {
  if (!isZip(bytes)) throw new Error('not an npz archive (no zip signature)');
  const names = new Set<string>();
  const wanted = (name: string): boolean => {
    if (!name.endsWith('.npy')) return false;
    // A duplicate name is refused here, before anything is inflated.
    if (names.has(name)) throw new Error(`npz archive holds '${name.slice(0, -4)}' twice`);
    names.add(name);
    return true;
  };
  const arrays = new Map<string, NpyArray>();
  for (const entry of await readZip(bytes, { ...options, wanted })) {
    const key = entry.name.slice(0, -4);
    arrays.set(key, parseNpy(entry.data, key));
  }
  return arrays;
}

/**
 * An uncompressed .npz holding `arrays` (in the given order), plus, when `metadata` is given,
 * `__metadata__`: a uint8 array with the UTF-8 JSON of that object.
 */
export function writeNpz(arrays: Map<string, NpyArray>, metadata?: Record<string, string>): Uint8Array {
  const entries: ZipEntry[] = [];
  for (const [key, array] of arrays) {
    if (metadata && key === NPZ_METADATA_KEY) throw new Error(`array name '${NPZ_METADATA_KEY}' is reserved for metadata`);
    entries.push({ name: `${key}.npy`, data: encodeNpy(array) });
  }
  if (metadata) {
    const json = new TextEncoder().encode(JSON.stringify(metadata));
    entries.push({ name: `${NPZ_METADATA_KEY}.npy`, data: encodeNpy({ dtype: 'uint8', shape: [json.length], data: json }) });
  }
  return writeZip(entries);
}

/** Decodes the `__metadata__` member (uint8 UTF-8 JSON of a string → string object), or null if absent. */
export function npzMetadata(arrays: Map<string, NpyArray>): Record<string, string> | null {
  const member = arrays.get(NPZ_METADATA_KEY);
  if (!member) return null;
  if (member.dtype !== 'uint8' || member.shape.length !== 1) {
    throw new Error(`npz ${NPZ_METADATA_KEY} must be a 1-D uint8 array, found ${member.dtype} [${member.shape.join(',')}]`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(member.data as Uint8Array));
  } catch (e) {
    throw new Error(`npz ${NPZ_METADATA_KEY} is not valid UTF-8 JSON: ${(e as Error).message}`);
  }
  return asStringRecord(parsed, `npz ${NPZ_METADATA_KEY}`);
}

/** Checks that a parsed JSON value is an object whose values are all strings. */
export function asStringRecord(value: unknown, label: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${label} must be a JSON object of strings`);
  }
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new Error(`${label} must map strings to strings ('${k}' is ${typeof v})`);
  }
  return value as Record<string, string>;
}
