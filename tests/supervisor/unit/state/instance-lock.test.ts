import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  readLockHolder,
  acquireInstanceLock,
  liveLockHolder,
  releaseInstanceLock,
} from '../../../../supervisor/src/state/instance-lock.js';
import { processStartTime } from '../../../../supervisor/src/shared/process-info.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
function lockPath(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lock-'));
  dirs.push(dir);
  return path.join(dir, 'supervisor.lock');
}

describe('instance lock', () => {
  it('records pid and start time, and is re-entrant for its holder', () => {
    const file = lockPath();
    expect(acquireInstanceLock(file)).toEqual({ acquired: true });
    const holder = readLockHolder(file) as { pid: number; startTime: string };
    expect(holder.pid).toBe(process.pid);
    expect(holder.startTime).toBe(processStartTime(process.pid));
    expect(acquireInstanceLock(file)).toEqual({ acquired: true });
    // A symlink whose target is the holder: it takes no data block, so a full disk cannot refuse it.
    expect(fs.lstatSync(file).isSymbolicLink()).toBe(true);
    releaseInstanceLock(file);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('refuses while another live process holds it', async () => {
    const file = lockPath();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => other.once('spawn', resolve));
      expect(acquireInstanceLock(file, other.pid)).toEqual({ acquired: true });
      const result = acquireInstanceLock(file);
      expect(result.acquired).toBe(false);
      expect(!result.acquired && result.holder.pid).toBe(other.pid);
      expect(liveLockHolder(file)?.pid).toBe(other.pid);
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('recovers a lock whose holder is dead', async () => {
    const file = lockPath();
    const other = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await new Promise((resolve) => other.once('exit', resolve));
    fs.writeFileSync(file, JSON.stringify({ pid: other.pid, startTime: '1', acquiredAt: 'x' }));
    expect(liveLockHolder(file)).toBeUndefined();
    expect(acquireInstanceLock(file)).toEqual({ acquired: true });
  });

  it('recovers a lock whose pid was reused by another process', () => {
    const file = lockPath();
    fs.writeFileSync(file, JSON.stringify({ pid: process.pid, startTime: 'not-our-start-time', acquiredAt: 'x' }));
    expect(liveLockHolder(file)).toBeUndefined();
    expect(acquireInstanceLock(file, process.pid)).toEqual({ acquired: true });
  });

  it('recovers a torn lock file', () => {
    const file = lockPath();
    fs.writeFileSync(file, '{"pid": 12');
    expect(acquireInstanceLock(file)).toEqual({ acquired: true });
  });
});
