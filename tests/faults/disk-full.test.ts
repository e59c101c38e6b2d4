import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeSandbox, runBundle, standInEvents, waitFor, type Sandbox } from '../helpers/sandbox.js';

/**
 * A full disk, for real: the state dir on a small tmpfs that the test fills (root mounts it, as
 * CI runs as root). The lock must survive and a locked workspace must evict: no supervisor
 * crash, exactly one delete build.
 */
let sandbox: Sandbox | undefined;
let mounted: string | undefined;
afterEach(async () => {
  // Unmounted first (lazily: a killed runner may still hold a file there), then cleaned up.
  if (mounted) {
    execFileSync('umount', ['-l', mounted]);
    mounted = undefined;
  }
  await sandbox?.cleanup();
  sandbox = undefined;
});

function smallDisk(sb: Sandbox): string {
  const dir = path.join(sb.dir, 'small-disk');
  fs.mkdirSync(dir);
  // Fails the test (never skips it) where it cannot be mounted: the fault matrix needs root.
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0755', 'tmpfs', dir]);
  mounted = dir;
  return dir;
}

/** Fills a file system until it refuses another byte. */
function fill(dir: string): void {
  const fd = fs.openSync(path.join(dir, 'filler'), 'w');
  const chunk = Buffer.alloc(4096, 1);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (error) {
    expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
  } finally {
    fs.closeSync(fd);
  }
}

describe('a full disk', () => {
  it('a session that starts on a full disk still locks the workspace, and it evicts: one delete build, no crash', async () => {
    sandbox = await makeSandbox({
      scenarios: 'session-then-drain',
      extraEnv: { STANDIN_SESSION_AFTER_MS: '4000', STANDIN_SESSION_SEC: '2' },
    });
    const sb = sandbox;
    const stateDir = path.join(smallDisk(sb), 'state');
    expect((await runBundle(sb, ['start', ...sb.flags, '--state-dir', stateDir])).exitCode).toBe(0);
    await waitFor('runner up', () => standInEvents(sb).some((e) => e.event === 'start'));
    fill(path.dirname(stateDir));
    // The session wrapper cannot write its record now; /healthz and /metrics still show the lock.
    // A bound for a loaded machine (the whole suite runs beside it; about 8 s alone).
    await waitFor('exactly one delete build', () => sb.api.deleteBuilds === 1, 90_000);
    expect(fs.existsSync(path.join(stateDir, 'locked'))).toBe(false);
    // The dashboard says so: the item is overwritten in place, which a full disk allows.
    await waitFor('the dashboard names the full disk', () =>
      fs.readFileSync(path.join(stateDir, 'items', '4_supervisor_state'), 'utf8').includes('the disk is full'),
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(sb.api.deleteBuilds).toBe(1);
    expect(standInEvents(sb).filter((e) => e.event === 'start')).toHaveLength(1);
  }, 120_000);

  it('a locked workspace that starts again on a full disk evicts without writing anything first', async () => {
    sandbox = await makeSandbox({ scenarios: 'idle' });
    const sb = sandbox;
    const stateDir = path.join(smallDisk(sb), 'state');
    fs.mkdirSync(stateDir, { mode: 0o700 });
    fs.writeFileSync(path.join(stateDir, 'locked'), '1 session wrapper\n');
    fill(path.dirname(stateDir));
    const start = await runBundle(sb, ['start', ...sb.flags, '--state-dir', stateDir]);
    expect(start.exitCode, start.stderr).toBe(0);
    await waitFor('exactly one delete build', () => sb.api.deleteBuilds === 1, 30_000);
    expect(standInEvents(sb).filter((e) => e.event === 'start')).toHaveLength(0);
  }, 60_000);
});
