/**
 * `npm run bench -- [--models mlp,cnn,rnn] [--impls …] [--json FILE]` (DESIGN A2).
 * Builds the bench page, serves it cross-origin isolated on 127.0.0.1, and drives headless
 * Chromium: every job trains (or multiplies) in a fresh worker of the page.
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { build } from 'vite';
import { parseBenchArgs, USAGE, type BenchArgs } from './args';
import { launchChromium } from './browser';
import type { BrowserInfo } from './page/main';
import { describeJob, jobBudgetMs, planJobs } from './plan';
import type { BenchJob, JobOutcome } from './protocol';
import {
  buildReport, formatReport, matmulResult, trainResult, type MachineInfo, type MatmulResult, type TrainResult,
} from './report';
import { startStaticServer } from './server';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(benchDir, '..');

async function buildPage(): Promise<string> {
  await build({ configFile: path.join(benchDir, 'vite.config.ts') });
  return path.join(benchDir, 'dist');
}

async function openBenchPage(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => window.scratchnetBench !== undefined, undefined, { timeout: 30000 });
}

/** Runs one job in the page; a job that hangs past its time budget becomes an error row. */
async function runJob(page: Page, url: string, job: BenchJob): Promise<JobOutcome> {
  const budgetMs = jobBudgetMs(job);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<JobOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, error: `timed out after ${Math.round(budgetMs / 1000)} s` }), budgetMs);
  });
  const run = page.evaluate((j) => window.scratchnetBench!.run(j), job)
    .catch((err: unknown): JobOutcome => ({ ok: false, error: err instanceof Error ? err.message : String(err) }));
  const outcome = await Promise.race([run, timeout]);
  clearTimeout(timer);
  if (!outcome.ok && outcome.error.startsWith('timed out')) await openBenchPage(page, url); // kills the stuck worker
  return outcome;
}

function machineInfo(browser: BrowserInfo): MachineInfo {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    platform: `${os.platform()} ${os.arch()}`,
    userAgent: browser.userAgent,
    browserCores: browser.hardwareConcurrency,
    crossOriginIsolated: browser.crossOriginIsolated,
    date: new Date().toISOString(),
  };
}

async function runAll(args: BenchArgs, page: Page, url: string): Promise<{ results: TrainResult[]; matmul: MatmulResult[] }> {
  const results: TrainResult[] = [];
  const matmul: MatmulResult[] = [];
  for (const job of planJobs(args)) {
    process.stderr.write(`bench: ${describeJob(job)} … `);
    const outcome = await runJob(page, url, job);
    if (job.kind === 'train') {
      const row = trainResult(job.model, job.impl, job.batch, outcome, job.workers);
      results.push(row);
      process.stderr.write('error' in row ? `error: ${row.error}\n` : `${row.examples_per_sec} examples/s (${row.steps} steps${row.detail ? `, ${row.detail}` : ''})\n`);
    } else {
      const row = matmulResult(job.impl, job.n, outcome);
      matmul.push(row);
      process.stderr.write('error' in row ? `error: ${row.error}\n` : `${row.gflops} GFLOP/s (${row.reps} reps)\n`);
    }
  }
  return { results, matmul };
}

async function main(): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    console.error(USAGE);
    return 2;
  }
  const dist = await buildPage();
  const wasmDir = path.join(repoRoot, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
  const { server, url } = await startStaticServer([{ prefix: '/', dir: dist }, { prefix: '/tfjs-wasm/', dir: wasmDir }]);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    page.on('pageerror', (err) => console.error(`bench page error: ${err.message}`));
    await openBenchPage(page, url);
    const info = await page.evaluate(() => window.scratchnetBench!.info());
    const { results, matmul } = await runAll(args, page, url);
    const report = buildReport(machineInfo(info), results, matmul);
    console.log(`\n${formatReport(report)}`);
    if (args.jsonPath) {
      await writeFile(args.jsonPath, `${JSON.stringify(report, null, 2)}\n`);
      console.log(`\nwrote ${args.jsonPath}`);
    }
    return 0;
  } finally {
    await browser.close();
    server.close();
  }
}

main().then((code) => process.exit(code), (err: unknown) => {
  console.error(err instanceof Error ? err.stack ?? err.message : String(err));
  process.exit(1);
});
