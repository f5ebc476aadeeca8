import { describe, expect, it } from 'vitest';
import { REFUSED_QUICKDRAW_HINT, refusedDownloadHint } from './quickdraw-refused';

const PAGE = 'https://someone.github.io';
const FAILED = 'Could not download cat.ndjson from X: network error (Failed to fetch). Are you offline?';

describe('refusedDownloadHint', () => {
  it('explains a network error on another site: no CORS, and the two ways out', () => {
    const hint = refusedDownloadHint('https://storage.googleapis.com/quickdraw_dataset/full/simplified/cat.ndjson', FAILED, PAGE);
    expect(hint).toBe(` ${REFUSED_QUICKDRAW_HINT}`);
    expect(hint).toContain('the Quick Draw host does not allow pages on other sites to download its files');
    expect(hint).toContain('drop the .ndjson files');
    expect(hint).toContain('npm start');
  });

  it('adds nothing for the page own site, other failures, or outside a browser', () => {
    expect(refusedDownloadHint('/quickdraw/cat.ndjson', FAILED, PAGE)).toBe('');
    expect(refusedDownloadHint(`${PAGE}/data/cat.ndjson`, FAILED, PAGE)).toBe('');
    expect(refusedDownloadHint('https://other.example/cat.ndjson', 'Could not download cat.ndjson: HTTP 500', PAGE)).toBe('');
    expect(refusedDownloadHint('https://other.example/cat.ndjson', FAILED, null)).toBe('');
  });
});
