/** fetch() with messages fit for the status line and byte counting for progress. Worker-safe (no DOM). */

export interface Download {
  /** Response body; counts bytes as they are read. */
  body: ReadableStream<Uint8Array>;
  /** Content-Length when the server sent one (bytes on the wire, which may be compressed). */
  totalBytes: number | null;
}

/**
 * `${base}/${path}` without doubled slashes: '' → '/data/x' (site root), '/app/' → '/app/data/x',
 * 'https://host/dir' → 'https://host/dir/data/x'. Prefer absolute bases in a worker, where a relative
 * URL resolves against the worker script's URL, not the page's.
 */
export function joinUrl(base: string, path: string): string {
  const cleanPath = path.replace(/^\/+/, '');
  return base.endsWith('/') ? base + cleanPath : `${base}/${cleanPath}`;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Starts a download; `onBytes(received, total)` runs as the body is consumed. */
export async function openDownload(
  url: string,
  what: string,
  onBytes?: (received: number, total: number | null) => void,
): Promise<Download> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new Error(`Could not download ${what} from ${url}: network error (${errorText(err)}). Are you offline?`);
  }
  if (!response.ok) {
    const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    throw new Error(`Could not download ${what} from ${url}: ${status}`);
  }
  if (!response.body) throw new Error(`Could not download ${what} from ${url}: the response has no body`);
  const length = Number(response.headers.get('content-length'));
  const totalBytes = Number.isFinite(length) && length > 0 ? length : null;
  let received = 0;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      received += chunk.length;
      onBytes?.(received, totalBytes);
      controller.enqueue(chunk);
    },
  });
  return { body: response.body.pipeThrough(counter), totalBytes };
}

/** Downloads a whole file into memory (small files: manifests, shards). */
export async function downloadBytes(url: string, what: string): Promise<Uint8Array> {
  const { body } = await openDownload(url, what);
  try {
    return new Uint8Array(await new Response(body).arrayBuffer());
  } catch (err) {
    throw new Error(`Could not download ${what} from ${url}: the connection broke (${errorText(err)})`);
  }
}

export function formatMegabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}
