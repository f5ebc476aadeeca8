/**
 * The one rule of the dev / preview servers' Quick Draw proxy (vite.config.ts): a request under
 * /quickdraw/ is forwarded only when it names one `<class>.ndjson` file of Google's simplified
 * folder, and only to that file. Everything else — `..` in any spelling (%2e%2e, double encoding),
 * encoded slashes, backslashes, absolute URLs, sub-folders, other file types — is refused, so the
 * proxy cannot be walked to any other path of storage.googleapis.com.
 */
export const QUICKDRAW_PROXY_PREFIX = '/quickdraw/';
export const QUICKDRAW_UPSTREAM_FOLDER = '/quickdraw_dataset/full/simplified/';

/** Class names as Quick Draw spells them: 'cat', 'hot dog', 'The Eiffel Tower', 't-shirt'. */
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9 _-]{0,63}\.ndjson$/;
/** Checked on the raw text, before decoding: separators or escapes of separators. */
const RAW_SEPARATOR = /[\\/]|%2f|%5c|%00/i;

/**
 * The upstream path for a proxied request URL ('/quickdraw/cat.ndjson' →
 * '/quickdraw_dataset/full/simplified/cat.ndjson'), or null when it must be refused. The query
 * is never forwarded.
 */
export function quickDrawUpstreamPath(requestUrl: string): string | null {
  if (!requestUrl.startsWith(QUICKDRAW_PROXY_PREFIX)) return null;
  const path = requestUrl.split(/[?#]/, 1)[0];
  const raw = path.slice(QUICKDRAW_PROXY_PREFIX.length);
  if (RAW_SEPARATOR.test(raw)) return null;
  let name: string;
  try {
    name = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (!FILE_NAME.test(name)) return null;
  return `${QUICKDRAW_UPSTREAM_FOLDER}${encodeURIComponent(name)}`;
}
