import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeWeights } from '../../io/weights';
import { decodeRunCheckpoint } from '../../train/run-state';
import { itWithFullData } from '../../train/testing/full-data-tests';
import { MNIST_DIR } from '../../train/testing/shared-data';
import { runCli as cli } from '../testing/run-cli';

const root = path.resolve(__dirname, '../../..');
const work = mkdtempSync(path.join(tmpdir(), 'scratchnet-checkpoint-'));

/** Starts a training run and kills it (SIGKILL, as a crash) as soon as its first checkpoint exists. */
async function crashAfterFirstCheckpoint(checkpoint: string, args: string[]): Promise<void> {
  // node itself (not the tsx wrapper, whose child would outlive the kill).
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args, '--checkpoint', checkpoint], { cwd: root, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  while (!existsSync(checkpoint) && child.exitCode === null) await new Promise((r) => setTimeout(r, 10));
  child.kill('SIGKILL');
  await exited;
}

async function tensorsOf(file: string) {
  return (await decodeWeights(new Uint8Array(readFileSync(file)))).tensors;
}

/** Trains whole, then crashed-and-resumed, and checks both end with the same weights, bit for bit. */
async function expectResumeMatches(name: string, args: string[]): Promise<void> {
  const whole = path.join(work, `${name}-whole.safetensors`);
  const resumed = path.join(work, `${name}-resumed.safetensors`);
  const checkpoint = path.join(work, `${name}.ckpt`);
  const a = await cli(...args, '--out', whole);
  expect(a.code, a.stderr).toBe(0);
  await crashAfterFirstCheckpoint(checkpoint, args);
  const saved = decodeRunCheckpoint(new Uint8Array(readFileSync(checkpoint)), checkpoint);
  const b = await cli('train', args[1], '--data', args[3], ...limitOf(args), '--resume', checkpoint, '--out', resumed);
  expect(b.code, b.stderr).toBe(0);
  expect(b.stdout).toContain(`resuming after epoch ${saved.loop.epoch} of ${saved.config.epochs}`);
  const x = await tensorsOf(whole), y = await tensorsOf(resumed);
  expect([...y.keys()]).toEqual([...x.keys()]);
  for (const [key, t] of x) expect(Buffer.from(y.get(key)!.data.buffer).equals(Buffer.from(t.data.buffer)), key).toBe(true);
  // The checkpoint goes on being written: it now holds the last epoch.
  expect(decodeRunCheckpoint(new Uint8Array(readFileSync(checkpoint)), checkpoint).loop.epoch).toBe(saved.config.epochs);
}

function limitOf(args: string[]): string[] {
  const at = args.indexOf('--limit');
  return at >= 0 ? ['--limit', args[at + 1]] : [];
}

describe('cli train --checkpoint / --resume', () => {
  it('rnn on the bundled sample: a run killed after a checkpoint resumes to the same weights', async () => {
    await expectResumeMatches('rnn', ['train', 'rnn', '--data', 'sample', '--limit', '40', '--epochs', '4', '--hidden', '8', '--seed', '2']);
  }, 120_000);

  itWithFullData('mlp: a run killed after a checkpoint resumes to the same weights', async () => {
    await expectResumeMatches('mlp', ['train', 'mlp', '--data', MNIST_DIR, '--limit', '2000', '--epochs', '4', '--seed', '3']);
  }, 120_000);

  it('refuses a damaged checkpoint, another network\'s, or other data, naming the file', async () => {
    const bad = path.join(work, 'bad.ckpt');
    writeFileSync(bad, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]));
    const r = await cli('train', 'rnn', '--data', 'sample', '--resume', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad} is not a run checkpoint`);
    const missing = await cli('train', 'rnn', '--data', 'sample', '--resume', path.join(work, 'nothing.ckpt'));
    expect(missing.stderr).toMatch(/--resume: cannot read .*nothing\.ckpt \(ENOENT\)/);
    const good = path.join(work, 'rnn.ckpt');
    if (!existsSync(good)) await crashAfterFirstCheckpoint(good, ['train', 'rnn', '--data', 'sample', '--limit', '40', '--epochs', '2', '--hidden', '8']);
    const other = await cli('train', 'mlp', '--data', 'sample', '--resume', good);
    expect(other.stderr).toContain(`holds a rnn run, not mlp`);
    const moreData = await cli('train', 'rnn', '--data', 'sample', '--limit', '41', '--resume', good);
    expect(moreData.stderr).toMatch(/trained with --limit 40, not 41/);
  }, 120_000);
});
