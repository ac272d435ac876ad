import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { waitForGroupEnd } from '../../pipeline/render/process-group.js';

/** A process group of two sleeping processes (a shell and its background child). */
async function sleepingGroup() {
  const child = spawn('sh', ['-c', 'sleep 60 & echo started; wait'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  await once(child.stdout, 'data');
  const pid = child.pid;
  if (pid === undefined) throw new Error('sh did not start');
  return { child, pid };
}

describe.skipIf(process.platform !== 'linux')('waitForGroupEnd', () => {
  it('reports a group that still runs once its time is up', async () => {
    const { child, pid } = await sleepingGroup();
    try {
      expect(waitForGroupEnd(pid, 50)).toBe(false);
    } finally {
      process.kill(-pid, 'SIGKILL');
      await once(child, 'exit');
    }
  });

  it('returns once every process of a killed group has ended, before it is reaped', async () => {
    const { child, pid } = await sleepingGroup();
    const exited = once(child, 'exit');
    process.kill(-pid, 'SIGKILL');
    // Synchronous: Node has not reaped the shell yet, which is then a zombie.
    expect(waitForGroupEnd(pid, 30_000)).toBe(true);
    await exited;
  });

  it('watches only the leader when told the group is one process', async () => {
    const { child, pid } = await sleepingGroup();
    const exited = once(child, 'exit');
    // The shell alone is killed: its background sleep still runs in the group.
    process.kill(pid, 'SIGKILL');
    try {
      expect(waitForGroupEnd(pid, 30_000, true)).toBe(true);
      expect(waitForGroupEnd(pid, 50)).toBe(false);
    } finally {
      process.kill(-pid, 'SIGKILL');
      await exited;
    }
  });
});
