// Prints the closing lines of `npm test` (and CI) from the unit (vitest) and e2e (Playwright) JSON
// reports in .cache/test-reports/: "N passed, M failed", how many full-data tests ran (or how many a
// bare clone did not run), whether the Python check ran, and any test skipped without a reason.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

// Markers set by src/train/testing/full-data-tests.ts, e2e/helpers.ts and python/scratchnet_torch.test.ts.
const UNIT_FULL_DATA = '[full data]';
const E2E_FULL_DATA = 'full-data';
const UNIT_PYTHON = '[python]';

function read(file) {
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
}

function unitTests(report) {
  return (report?.testResults ?? []).flatMap((file) => file.assertionResults.map((t) => ({
    name: [...t.ancestorTitles, t.title].join(' > '),
    ran: t.status === 'passed' || t.status === 'failed',
  })));
}

function e2eSpecs(report) {
  const walk = (suite) => [...(suite.specs ?? []), ...(suite.suites ?? []).flatMap(walk)];
  return (report?.suites ?? []).flatMap(walk).flatMap((spec) => spec.tests.map((t) => ({
    name: spec.title, tags: spec.tags ?? [], ran: t.status !== 'skipped',
  })));
}

/** Full-data e2e tests a bare clone does not register, listed (not run) with them switched on. */
function listedE2eFullData() {
  try {
    const out = execFileSync('npx', ['playwright', 'test', '--list', '--reporter=json', '--grep', `@${E2E_FULL_DATA}`], {
      env: { ...process.env, SCRATCHNET_LIST_FULL_DATA: '1' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'],
    });
    return String(e2eSpecs(JSON.parse(out)).length);
  } catch {
    return '? (listing the e2e specs failed)';
  }
}

const unit = read('.cache/test-reports/unit.json');
const e2e = read('.cache/test-reports/e2e.json');
const unitPassed = unit?.numPassedTests ?? 0;
const unitFailed = (unit?.numFailedTests ?? 0) + (unit ? 0 : 1);
// "flaky" = failed once, then passed on Playwright's retry: counted as passed, but named.
const e2eFlaky = e2e?.stats?.flaky ?? 0;
const e2ePassed = (e2e?.stats?.expected ?? 0) + e2eFlaky;
const e2eFailed = (e2e?.stats?.unexpected ?? 0) + (e2e ? 0 : 1);

const units = unitTests(unit);
const e2es = e2eSpecs(e2e);
const unitFull = units.filter((t) => t.name.includes(UNIT_FULL_DATA));
const e2eFull = e2es.filter((t) => t.tags.includes(E2E_FULL_DATA));
const fullRan = unitFull.filter((t) => t.ran).length + e2eFull.filter((t) => t.ran).length;
const fullUnitNotRun = unitFull.filter((t) => !t.ran).length;
const where = process.env.SCRATCHNET_DATA ? `SCRATCHNET_DATA=${process.env.SCRATCHNET_DATA}` : '../shared';
let fullLine = `full-data tests: ${fullRan} ran (${where})`;
// Absent data shows in the unit report (tests registered, not run); an e2e-only report tells by having none.
if (fullUnitNotRun > 0 || (!unit && e2e && e2eFull.length === 0)) {
  const e2eNotRun = listedE2eFullData();
  fullLine = `full-data tests: not run (no ../shared or SCRATCHNET_DATA): ${fullUnitNotRun} unit, ${e2eNotRun} e2e`;
}

const python = units.filter((t) => t.name.includes(UNIT_PYTHON));
const pythonRan = python.filter((t) => t.ran).length;
const pythonLine = python.length === 0 ? 'python check: not in the unit report'
  : pythonRan > 0 ? `python check: ran (${pythonRan} tests)`
    : 'python check: not run (python3 cannot import torch and numpy; apt-get install python3-torch python3-numpy)';

// A skipped test must say why: only the two markers above may leave a test unrun.
const silent = [
  ...units.filter((t) => !t.ran && !t.name.includes(UNIT_FULL_DATA) && !t.name.includes(UNIT_PYTHON)).map((t) => t.name),
  ...e2es.filter((t) => !t.ran && !t.tags.includes(E2E_FULL_DATA)).map((t) => t.name),
];

console.log(`unit: ${unitPassed} passed, ${unitFailed} failed; e2e: ${e2ePassed} passed (${e2eFlaky} on a retry), ${e2eFailed} failed`);
console.log(fullLine);
console.log(pythonLine);
for (const name of silent) console.log(`skipped without a reason (counted as failed): ${name}`);
console.log(`${unitPassed + e2ePassed} passed, ${unitFailed + e2eFailed + silent.length} failed`);
process.exitCode = unitFailed + e2eFailed + silent.length > 0 ? 1 : 0;
