/**
 * Run a command and measure its wall time and the peak resident memory of its
 * whole process tree (Chromium's processes included), by sampling /proc.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

export interface Sample {
  readonly ms: number;
  readonly peakBytes: number;
  /** The peak in each quarter of the run's time: flat memory shows as four similar figures. */
  readonly quarterPeaks?: readonly number[];
  readonly code: number;
  readonly stderr: string;
}

const PAGE = 4096;

/** Every process's parent, from a scan of the whole of /proc. */
function parentsOf(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const fields = statFields(Number(name));
    if (fields !== undefined) parents.set(Number(name), Number(fields[1]));
  }
  return parents;
}

/** The fields of /proc/<pid>/stat after the command name; undefined once it has ended. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** `root` and every process below it. */
function treeOf(root: number, parents: ReadonlyMap<number, number>): Set<number> {
  const tree = new Set<number>();
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() ?? 0;
    if (tree.has(pid)) continue;
    tree.add(pid);
    for (const [child, parent] of parents) if (parent === pid) stack.push(child);
  }
  return tree;
}

/**
 * The resident memory of a process tree, sampled often. The whole of /proc is scanned for
 * the tree's members only every tenth sample: the scan's CPU is paid by a tool that keeps
 * both cores busy and not by a one-core one (docs/performance.md). Processes found stay in
 * the tree until they end.
 */
function treeSampler(root: number): () => number {
  let members = new Set<number>([root]);
  let samples = 0;
  return () => {
    if (samples % 10 === 0) members = new Set([...members, ...treeOf(root, parentsOf())]);
    samples += 1;
    let total = 0;
    for (const pid of members) {
      const fields = statFields(pid);
      if (fields === undefined) members.delete(pid);
      else total += Number(fields[21]) * PAGE;
    }
    return total;
  };
}

export function measure(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  cwd?: string,
): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      env: { ...process.env, ...env },
      ...(cwd === undefined ? {} : { cwd }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const readings: Array<readonly [ms: number, bytes: number]> = [];
    const sample = child.pid === undefined ? undefined : treeSampler(child.pid);
    const timer = setInterval(() => {
      if (sample !== undefined) readings.push([performance.now() - started, sample()]);
    }, 20);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      const ms = performance.now() - started;
      const quarterPeaks = [0, 0, 0, 0];
      for (const [at, bytes] of readings) {
        const quarter = Math.min(3, Math.floor((at / ms) * 4));
        quarterPeaks[quarter] = Math.max(quarterPeaks[quarter] ?? 0, bytes);
      }
      const peakBytes = Math.max(0, ...quarterPeaks);
      resolve({ ms, peakBytes, quarterPeaks, code: code ?? -1, stderr });
    });
  });
}

export interface Stats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly peakBytes: number;
  /** Per quarter of the run, the highest peak over all runs. */
  readonly quarterPeaks: readonly number[];
}

export function stats(samples: readonly Sample[]): Stats {
  const times = samples.map((sample) => sample.ms).sort((a, b) => a - b);
  const middle = Math.floor(times.length / 2);
  const median =
    times.length % 2 === 1
      ? (times[middle] ?? 0)
      : ((times[middle - 1] ?? 0) + (times[middle] ?? 0)) / 2;
  return {
    median,
    min: times[0] ?? 0,
    max: times.at(-1) ?? 0,
    peakBytes: Math.max(...samples.map((sample) => sample.peakBytes)),
    quarterPeaks: [0, 1, 2, 3].map((quarter) =>
      Math.max(0, ...samples.map((sample) => sample.quarterPeaks?.[quarter] ?? 0)),
    ),
  };
}
