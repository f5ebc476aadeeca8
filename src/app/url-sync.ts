/**
 * Keeps the MLP page's settings and the URL hash in step (url-settings.ts has the format): a link
 * opened fills the form; every form change rewrites the hash in place (replaceState).
 */
import { LINES_ID } from '../data/lines';
import type { PlaygroundController } from './playground-controller';
import { routeFromHash } from './route';
import { setStatus, type AppStore } from './store';
import { formHas, parseSettingsHash, settingsHash, type HashSettings } from './url-settings';

/** The part of `window` this needs (tests pass a fake). */
export interface UrlWindow {
  location: { hash: string };
  history: { replaceState(data: unknown, unused: string, url: string): void };
  addEventListener(type: 'hashchange', listener: () => void): void;
}

export class UrlSync {
  private booted = false;

  constructor(
    private readonly controller: PlaygroundController,
    private readonly store: AppStore,
    private readonly win: UrlWindow,
  ) {}

  /** Applies the opened link's form now; its dataset and any message once `ready` (the page's boot) resolves. */
  start(ready: Promise<void>): void {
    const settings = this.readHash();
    this.store.subscribe((s, prev) => {
      if (s.form !== prev.form || s.datasetId !== prev.datasetId) this.write();
    });
    this.win.addEventListener('hashchange', () => void this.onHashChange());
    void ready.then(async () => {
      this.booted = true;
      if (settings) await this.finish(settings);
      this.write();
    });
  }

  private onMlp(): boolean {
    return routeFromHash(this.win.location.hash) === 'mlp';
  }

  /** The hash's settings with its form part applied; null when the hash is for another page or has none. */
  private readHash(): HashSettings | null {
    if (!this.onMlp()) return null;
    const settings = parseSettingsHash(this.win.location.hash, this.store.getState().form);
    if (Object.keys(settings.patch).length === 0 && settings.dataset === null && settings.ignored.length === 0) return null;
    if (this.store.getState().phase !== 'idle') {
      setStatus(this.store, 'Settings from the link were not applied: training is running', 'error');
      return null;
    }
    if (!formHas(this.store.getState().form, settings.patch)) this.controller.updateForm(settings.patch);
    return settings;
  }

  private async onHashChange(): Promise<void> {
    if (!this.onMlp()) return;
    const settings = this.readHash();
    if (settings && this.booted) await this.finish(settings);
    this.write();
  }

  /** The link's dataset (the lines toy is made on the spot), then what was ignored, on the status line. */
  private async finish(settings: HashSettings): Promise<void> {
    const ignored = [...settings.ignored];
    const wanted = settings.dataset;
    if (wanted && wanted !== this.store.getState().datasetId) {
      if (wanted === LINES_ID) await this.controller.ensureLines();
      const known = this.store.getState().datasets.some((d) => d.id === wanted && d.complete);
      if (known) await this.controller.selectDataset(wanted);
      else ignored.push(`data=${wanted}: not stored in this browser (load it first)`);
    }
    // Only problems are news: a reload opens the page's own link, and its greeting should stay.
    if (ignored.length > 0) setStatus(this.store, `Ignored from the link: ${ignored.join('; ')}`, 'error');
  }

  private write(): void {
    if (!this.onMlp()) return;
    const s = this.store.getState();
    const hash = settingsHash('mlp', s.form, s.datasetId);
    if (hash !== this.win.location.hash) this.win.history.replaceState(null, '', hash);
  }
}
