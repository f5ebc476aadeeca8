/**
 * `--checkpoint FILE` and `--resume FILE` for `train`: after every epoch the run's whole state
 * (src/train/run-state) is written to FILE (to FILE.part first, then renamed, so a crash mid-write
 * keeps the previous checkpoint); `--resume` continues such a run with its own settings, and goes
 * on checkpointing to the same file unless `--checkpoint` names another.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { decodeRunCheckpoint, encodeRunCheckpoint, type LoopState, type RunCheckpoint } from '../../train/run-state';
import type { TrainLoop } from '../../train/train-loop';
import type { RnnTrainConfig, TrainConfig, TrainEvents } from '../../train/types';
import { printEpoch, printProgress } from './progress';
import { stringOption, type ParsedArgs } from '../args';

type RunConfig = TrainConfig | RnnTrainConfig;

export class CliCheckpoint {
  private constructor(
    private readonly target: string | undefined,
    readonly resumed: RunCheckpoint | null,
    private readonly meta: Record<string, unknown>,
  ) {}

  /** Reads `--resume` (refusing another network's or other data's checkpoint) and notes `--checkpoint`. */
  static async open(args: ParsedArgs, kind: string, meta: Record<string, unknown>): Promise<CliCheckpoint> {
    const from = stringOption(args, 'resume');
    const target = stringOption(args, 'checkpoint') ?? from;
    if (!from) return new CliCheckpoint(target, null, meta);
    const bytes = await readFile(from).catch((err: NodeJS.ErrnoException) => {
      throw new Error(`--resume: cannot read ${from} (${err.code ?? err.message})`);
    });
    const resumed = decodeRunCheckpoint(new Uint8Array(bytes), from);
    if (resumed.config.model !== kind) throw new Error(`--resume: ${from} holds a ${resumed.config.model} run, not ${kind}`);
    for (const [key, value] of Object.entries(meta)) {
      if (JSON.stringify(resumed.meta[key] ?? null) !== JSON.stringify(value ?? null)) {
        throw new Error(`--resume: ${from} was trained with --${key} ${String(resumed.meta[key] ?? '(unset)')}, not ${String(value ?? '(unset)')}`);
      }
    }
    return new CliCheckpoint(target, resumed, meta);
  }

  /** The resumed run's own settings, else the ones the command line built. */
  config<T extends RunConfig>(fresh: T): T {
    return (this.resumed?.config as T | undefined) ?? fresh;
  }

  /** What to print before training. */
  describe(): string | null {
    if (!this.resumed) return null;
    const { epoch } = this.resumed.loop;
    return `resuming after epoch ${epoch} of ${this.resumed.config.epochs}`;
  }

  /** The trainer's onRunState: writes each epoch's state to the checkpoint file (none without one). */
  writer(trainer: () => TrainLoop): ((state: LoopState) => Promise<void>) | undefined {
    const target = this.target;
    if (!target) return undefined;
    return async (loop) => {
      const t = trainer();
      const bytes = encodeRunCheckpoint({
        model: t.model.kind, modelConfig: t.model.configJson(), config: t.config as RunConfig, loop, meta: this.meta,
      });
      await writeFile(`${target}.part`, bytes);
      await rename(`${target}.part`, target);
    };
  }

  /** Puts the resumed state into a freshly built trainer (before run()). */
  restore(trainer: TrainLoop): void {
    if (this.resumed) trainer.restoreState(this.resumed.loop);
  }
}

/**
 * One CLI training run, for every kind's trainer: progress lines, each epoch checkpointed, a resumed
 * state put back before the first step, divergence refused; returns the trainer and the seconds it ran.
 */
export async function runCliTraining<T extends TrainLoop>(
  build: (events: TrainEvents) => T, checkpoint: CliCheckpoint,
): Promise<{ trainer: T; seconds: number }> {
  const started = performance.now();
  let built: T | undefined;
  const trainer = build({
    onSteps: (_points, p) => printProgress(p),
    onEpoch: (e) => printEpoch(e),
    onRunState: checkpoint.writer(() => built as T),
  });
  built = trainer;
  checkpoint.restore(trainer);
  const note = checkpoint.describe();
  if (note) console.log(note);
  const reason = await trainer.run();
  if (process.stdout.isTTY) process.stdout.write('\n');
  if (reason === 'diverged') throw new Error('training diverged (loss became NaN/Inf): lower the learning rate');
  return { trainer, seconds: (performance.now() - started) / 1000 };
}
