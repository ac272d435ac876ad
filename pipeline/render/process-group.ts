/**
 * Waiting, synchronously, for a killed process group to be gone, so that its
 * folder is removed only once nothing in it can write there again: a SIGKILL
 * lands when each process is next scheduled, and a Chromium still starting
 * recreates its profile folder in the meantime (tests/robustness/interrupt.test.ts
 * saw one left behind). Synchronous because it runs in 'exit' and signal
 * handlers. Reads Linux's /proc; elsewhere it returns at once.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** State and process group of `/proc/<pid>/stat`, or undefined when the process is gone. */
function statOf(pid: string): { state: string; group: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // "pid (command) state ppid pgrp …": the command may hold spaces and parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const [state = 'X', , group = ''] = fields;
  return { state, group: Number(group) };
}

/** Running or sleeping: not a zombie (already ended, waiting to be reaped) nor dead. */
function isLive(state: string): boolean {
  return state !== 'Z' && state !== 'X' && state !== 'x';
}

/** Whether any process of group `group` still runs (its leader first: the cheap check). */
function groupLive(group: number, leaderOnly: boolean): boolean {
  const leader = statOf(String(group));
  if (leader !== undefined && leader.group === group && isLive(leader.state)) return true;
  if (leaderOnly) return false;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return false;
  }
  return pids.some((pid) => {
    const info = statOf(pid);
    return info !== undefined && info.group === group && isLive(info.state);
  });
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Block until no process of group `group` runs any more, or `timeoutMs` has
 * passed. True when the group is gone (or /proc cannot tell). `leaderOnly`
 * for a group of one process (Chromium's `--single-process`): reading every
 * process's stat to find the others takes a few milliseconds.
 */
export function waitForGroupEnd(group: number, timeoutMs: number, leaderOnly = false): boolean {
  if (process.platform !== 'linux') return true;
  const deadline = Date.now() + timeoutMs;
  for (let wait = 1; groupLive(group, leaderOnly); wait = Math.min(wait * 2, 20)) {
    if (Date.now() >= deadline) return false;
    Atomics.wait(pause, 0, 0, wait);
  }
  return true;
}
