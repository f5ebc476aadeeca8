// Prints one closing line for CI, "N passed, M failed", from the unit (vitest) and e2e
// (Playwright) JSON reports that `npm test` writes into .cache/test-reports/.
import { existsSync, readFileSync } from 'node:fs';

function read(file) {
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
}

const unit = read('.cache/test-reports/unit.json');
const e2e = read('.cache/test-reports/e2e.json');
const unitPassed = unit?.numPassedTests ?? 0;
const unitFailed = (unit?.numFailedTests ?? 0) + (unit ? 0 : 1);
// "flaky" = failed once, then passed on Playwright's retry: counted as passed, but named.
const e2eFlaky = e2e?.stats?.flaky ?? 0;
const e2ePassed = (e2e?.stats?.expected ?? 0) + e2eFlaky;
const e2eFailed = (e2e?.stats?.unexpected ?? 0) + (e2e ? 0 : 1);
console.log(`unit: ${unitPassed} passed, ${unitFailed} failed; e2e: ${e2ePassed} passed (${e2eFlaky} on a retry), ${e2eFailed} failed`);
console.log(`${unitPassed + e2ePassed} passed, ${unitFailed + e2eFailed} failed`);
process.exitCode = unitFailed + e2eFailed > 0 ? 1 : 0;
