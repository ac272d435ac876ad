/**
 * The lock file that serializes publishes of one memo: mutual exclusion,
 * waiting, and recovery from a holder that was killed.
 */
import { spawn } from 'node:child_process';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LockTimeoutError, acquireLock, withLock } from '../../pipeline/archive/lock.js';
import { root, temporaryFolder } from './helpers.js';

/** A process that has exited: its pid names nobody (until reused). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  if (child.pid === undefined) throw new Error('no pid');
  return child.pid;
}

describe('the memo lock', () => {
  it('lets one holder at a time through, and every waiter eventually', async () => {
    const folder = await temporaryFolder('lock');
    const lock = path.join(folder, '.lock');
    const counter = path.join(folder, 'counter');
    await writeFile(counter, '0');
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 30 }, () =>
        withLock(lock, {}, async () => {
          inside += 1;
          most = Math.max(most, inside);
          const value = Number(await readFile(counter, 'utf8'));
          await new Promise((resolve) => setImmediate(resolve));
          await writeFile(counter, String(value + 1));
          inside -= 1;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(await readFile(counter, 'utf8')).toBe('30');
  });

  it('waits for a live holder, then times out naming it', async () => {
    const folder = await temporaryFolder('lock');
    const lock = path.join(folder, '.lock');
    const held = await acquireLock(lock);
    const waits: string[] = [];
    const attempt = acquireLock(lock, {
      timeoutMs: 300,
      onWait: (owner) => waits.push(String(owner?.pid)),
    });
    await expect(attempt).rejects.toThrow(LockTimeoutError);
    await expect(attempt).rejects.toThrow(`held by process ${process.pid} on ${hostname()}`);
    expect(waits).toEqual([String(process.pid)]);
    await held.release();
    const next = await acquireLock(lock, { timeoutMs: 300 });
    expect(next.removedStale).toEqual([]);
    await next.release();
  });

  it('takes over the lock of a holder that was killed (kill -9)', async () => {
    const folder = await temporaryFolder('lock');
    const lock = path.join(folder, '.lock');
    const script = `
      const { acquireLock } = await import(${JSON.stringify(path.join(root, 'pipeline', 'archive', 'lock.ts'))});
      await acquireLock(${JSON.stringify(lock)});
      process.stdout.write('held\\n');
      setInterval(() => {}, 1000);`;
    const holder = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: root },
    );
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('held') && resolve());
      holder.once('exit', () => reject(new Error('the holder exited before taking the lock')));
    });
    expect(JSON.parse(await readFile(lock, 'utf8'))).toMatchObject({
      pid: holder.pid,
      hostname: hostname(),
    });
    await expect(acquireLock(lock, { timeoutMs: 200 })).rejects.toThrow(`process ${holder.pid}`);

    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
    const taken = await acquireLock(lock, { timeoutMs: 5_000 });
    expect(taken.removedStale.map((owner) => owner?.pid)).toEqual([holder.pid]);
    expect(JSON.parse(await readFile(lock, 'utf8'))).toMatchObject({ pid: process.pid });
    await taken.release();
  });

  it('treats a lock it cannot read as live while fresh and as stale once old', async () => {
    const folder = await temporaryFolder('lock');
    const lock = path.join(folder, '.lock');
    await writeFile(lock, ''); // a holder killed between creating the file and writing it
    await expect(acquireLock(lock, { timeoutMs: 200 })).rejects.toThrow('an unreadable owner');
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);
    const taken = await acquireLock(lock, { timeoutMs: 5_000 });
    expect(taken.removedStale).toEqual([undefined]);
    await taken.release();
  });

  it('never removes a lock it does not hold', async () => {
    const folder = await temporaryFolder('lock');
    const lock = path.join(folder, '.lock');
    const pid = await deadPid();
    const stale = JSON.stringify({
      pid,
      hostname: hostname(),
      started_at: '2026-01-01T00:00:00.000Z',
      token: 'x',
    });
    await writeFile(lock, stale);
    const taken = await acquireLock(lock, { timeoutMs: 5_000 });
    expect(taken.removedStale.map((owner) => owner?.pid)).toEqual([pid]);
    // Someone else's lock now in its place (it was wrongly broken): releasing leaves it alone.
    await writeFile(lock, stale);
    await taken.release();
    expect(await readFile(lock, 'utf8')).toBe(stale);
  });
});
