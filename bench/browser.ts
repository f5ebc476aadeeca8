import { existsSync } from 'node:fs';
import { chromium, type Browser } from '@playwright/test';

/** Flags for a quiet, reproducible headless run (as root, on a closed network). */
export const CHROMIUM_BASE_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * WebGL2 without a GPU, through SwiftShader. Only for what needs WebGL: software GL also takes the
 * page's compositing, which slows the main thread enough to distort main-thread timings.
 */
export const CHROMIUM_ARGS = [...CHROMIUM_BASE_ARGS, '--use-angle=swiftshader', '--enable-unsafe-swiftshader'];

/** The distribution's Chromium when installed (or CHROMIUM_PATH), else Playwright's own build. */
export function chromiumExecutable(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
}

/**
 * `webgl: false` leaves out SwiftShader: the page then composites on the CPU as Chromium does on a
 * machine without a GPU, instead of rasterizing every frame through software GL in the GPU process
 * (which kept one of this machine's two cores busy for as long as a training page updated).
 */
export function launchChromium({ webgl = true }: { webgl?: boolean } = {}): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumExecutable(), args: webgl ? CHROMIUM_ARGS : CHROMIUM_BASE_ARGS });
}
