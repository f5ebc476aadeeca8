/**
 * Why a Quick Draw download from another site failed, in words. The browser hides the reason from
 * the page: a host that sends no CORS headers (Quick Draw's bucket) and a dropped connection both
 * surface as fetch's bare "network error". Only a download from another origin can be refused, so
 * only those get the explanation and the two ways out.
 */

/** The page's origin (a worker's too); null outside a browser (Node, the CLI). */
function pageOrigin(): string | null {
  const location = (globalThis as { location?: { origin?: string } }).location;
  return location?.origin ?? null;
}

function isCrossOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url, origin).origin !== origin;
  } catch {
    return false;
  }
}

export const REFUSED_QUICKDRAW_HINT =
  'If not, the Quick Draw host does not allow pages on other sites to download its files (it sends no CORS headers). ' +
  'Two ways out: drop the .ndjson files on the page (downloaded from Quick Draw by hand), ' +
  'or serve the app with `npm start`, which proxies them (Folder URL /quickdraw/).';

/** The explanation to append to a failed download of `url` ('' when the failure was not a refusal). */
export function refusedDownloadHint(url: string, message: string, origin: string | null = pageOrigin()): string {
  if (!origin || !/network error/.test(message) || !isCrossOrigin(url, origin)) return '';
  return ` ${REFUSED_QUICKDRAW_HINT}`;
}
