/**
 * Is Quick Draw's proxy here? `npm start` / vite preview / vite dev proxy `/quickdraw/` to Google's
 * public folder (whose bucket sends no CORS headers); a static host has no such path. The dev and
 * preview servers answer this probe themselves (vite.config.ts), so asking never reaches Google and
 * a static host's 404 page or catch-all index.html cannot pass for it.
 */
export const QUICKDRAW_PROXY_PROBE = '/quickdraw/.proxy-probe';
export const QUICKDRAW_PROXY_HEADER = 'x-scratchnet-quickdraw-proxy';

type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

export async function hasQuickDrawProxy(fetchFn: Fetch = (url, init) => fetch(url, init)): Promise<boolean> {
  try {
    const response = await fetchFn(QUICKDRAW_PROXY_PROBE, { method: 'HEAD', cache: 'no-store' });
    return response.ok && response.headers.get(QUICKDRAW_PROXY_HEADER) === 'yes';
  } catch {
    return false;
  }
}
