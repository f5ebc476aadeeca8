/** Node-only test helper: the CLI run as a user runs it (`tsx src/cli/main.ts …`) from the repo root. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../train/testing/shared-data';

const run = promisify(execFile);
const tsx = path.join(REPO_ROOT, 'node_modules/.bin/tsx');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Exit code and output of one CLI call; a non-zero exit is a result, not a throw. */
export async function runCli(...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(tsx, ['src/cli/main.ts', ...args], { cwd: REPO_ROOT, maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as CliResult;
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
