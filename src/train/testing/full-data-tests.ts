/**
 * How a unit test says it needs the full data (../shared or SCRATCHNET_DATA, see shared-data.ts):
 * it is always registered, runs only when the data is there, and carries FULL_DATA_TAG in its name
 * so scripts/test-summary.mjs can count how many ran or were not run. Never a silent skip.
 */
import { describe, it } from 'vitest';
import { HAS_FULL_DATA, inRepoFixtures } from './shared-data';

/** Marker in a test's name; scripts/test-summary.mjs counts tests by it (keep in sync). */
export const FULL_DATA_TAG = '[full data]';

/** `it` for a test that reads the full data. */
export function itWithFullData(name: string, fn: () => unknown, timeout?: number): void {
  it.runIf(HAS_FULL_DATA)(`${name} ${FULL_DATA_TAG}`, fn, timeout);
}

/** `describe` for a group of tests that all read the full data. */
export function describeWithFullData(name: string, fn: () => void): void {
  describe.runIf(HAS_FULL_DATA)(`${name} ${FULL_DATA_TAG}`, fn);
}

/** `it` for a test on PyTorch fixture files: runs always when the repo has them all, else with the full data. */
export function itWithFixtures(fixtures: string[], name: string, fn: () => unknown, timeout?: number): void {
  if (inRepoFixtures(...fixtures)) it(name, fn, timeout);
  else itWithFullData(name, fn, timeout);
}
