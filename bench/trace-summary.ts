/**
 * Where the threads of a page-bench run spent their time: `npx tsx bench/trace-summary.ts TRACE [--top N]`
 * reads a Chrome trace written by `bench/page-train.ts --trace TRACE` and prints, per thread that
 * ran JavaScript or WebAssembly, its CPU time (sum of task thread durations) and the functions its
 * V8 samples fell in most (self time, share of that thread's samples).
 */
import { readFile } from 'node:fs/promises';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  id?: string;
  tdur?: number;
  args?: { name?: string; data?: ProfileData };
}

interface ProfileNode {
  id: number;
  parent?: number;
  callFrame: { functionName: string; url?: string };
}

interface ProfileData {
  cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] };
}

/** One sampled thread: its profile's nodes (they arrive over several chunks) and sample counts per node. */
interface ThreadProfile {
  key: string;
  names: Map<number, string>;
  hits: Map<number, number>;
}

const TOP_TASKS = new Set(['ThreadControllerImpl::RunTask', 'RunTask']);

function frameName(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  const file = url ? url.slice(url.lastIndexOf('/') + 1).replace(/-[\w-]{8}\.js$/, '.js') : '';
  return `${functionName || '(anonymous)'}${file ? ` ${file}` : ''}`;
}

function threadNames(events: TraceEvent[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args?.name ?? '?');
  }
  return names;
}

/** Profiles by id; a profile's chunks come from the profiler's thread, its 'Profile' event from the sampled one. */
function profiles(events: TraceEvent[]): Map<string, ThreadProfile> {
  const byId = new Map<string, ThreadProfile>();
  const sampled = new Map<string, string>();
  for (const e of events) if (e.name === 'Profile' && e.id) sampled.set(`${e.pid}:${e.id}`, `${e.pid}:${e.tid}`);
  for (const e of events) {
    if (e.name !== 'ProfileChunk' || !e.id) continue;
    const key = sampled.get(`${e.pid}:${e.id}`) ?? `${e.pid}:${e.tid}`;
    const p = byId.get(`${e.pid}:${e.id}`) ?? { key, names: new Map(), hits: new Map() };
    byId.set(`${e.pid}:${e.id}`, p);
    const cpu = e.args?.data?.cpuProfile;
    for (const n of cpu?.nodes ?? []) p.names.set(n.id, frameName(n));
    for (const s of cpu?.samples ?? []) p.hits.set(s, (p.hits.get(s) ?? 0) + 1);
  }
  return byId;
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: npx tsx bench/trace-summary.ts TRACE [--top N]');
  const topAt = process.argv.indexOf('--top');
  const top = topAt > 0 ? Number(process.argv[topAt + 1]) : 12;
  const parsed = JSON.parse(await readFile(file, 'utf8')) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
  const names = threadNames(events);
  const cpuMs = new Map<string, number>();
  for (const e of events) {
    if (e.ph === 'X' && TOP_TASKS.has(e.name) && e.tdur) cpuMs.set(`${e.pid}:${e.tid}`, (cpuMs.get(`${e.pid}:${e.tid}`) ?? 0) + e.tdur / 1000);
  }
  const threads = [...profiles(events).values()];
  threads.sort((a, b) => total(b) - total(a));
  for (const p of threads) {
    const samples = total(p);
    if (samples < 20) continue;
    const cpu = cpuMs.get(p.key);
    console.log(`\n${names.get(p.key) ?? p.key}: ${samples} samples${cpu ? `, task CPU ${(cpu / 1000).toFixed(1)} s` : ''}`);
    const self = new Map<string, number>();
    for (const [node, n] of p.hits) {
      const name = p.names.get(node) ?? `node ${node}`;
      self.set(name, (self.get(name) ?? 0) + n);
    }
    for (const [name, n] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`  ${((100 * n) / samples).toFixed(1).padStart(5)}%  ${name}`);
    }
  }
}

function total(p: ThreadProfile): number {
  let n = 0;
  for (const v of p.hits.values()) n += v;
  return n;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
