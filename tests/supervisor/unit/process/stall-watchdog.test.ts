import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../../../helpers/sandbox.js';

/**
 * The watchdog of the supervisor's own event loop, in a real process whose main thread blocks
 * (Atomics.wait, as a read that never returns would): the worker kills what it was told to,
 * says why in the log and on the dashboard, releases the lock, starts the fresh process and
 * hands it the secrets over IPC, then SIGKILLs the stalled one.
 */
let dir: string;

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function script(options: { relaunch: boolean; stopping: boolean }): string {
  const file = (name: string): string => JSON.stringify(path.join(dir, name));
  const fresh = `
    process.once('message', (m) => {
      require('node:fs').writeFileSync(${file('fresh.json')}, JSON.stringify(m));
      process.disconnect();
    });
    process.send({ type: 'secrets-please' });`;
  return `
    import fs from 'node:fs';
    import { startStallWatchdog } from ${JSON.stringify(path.join(repoRoot, 'supervisor/src/process/stall-watchdog.ts'))};
    fs.writeFileSync(${file('status.json')}, JSON.stringify({ programPid: 0 }));
    fs.symlinkSync('123:456:789', ${file('supervisor.lock')});
    ${options.stopping ? `fs.writeFileSync(${file('drain-marker')}, '1\\n');` : ''}
    startStallWatchdog({
      stallMs: 1000,
      beatMs: 100,
      logFile: ${file('supervisor.log')},
      stateItem: ${file('4_supervisor_state')},
      statusFile: ${file('status.json')},
      lockFile: ${file('supervisor.lock')},
      drainMarker: ${file('drain-marker')},
      killCommands: [['/bin/sh', '-c', 'echo killed >>"$0"', ${file('kills')}]],
      rootKill: undefined,
      relaunch: ${
        options.relaunch
          ? `{ execPath: process.execPath, args: ['-e', ${JSON.stringify(fresh)}], env: {}, cwd: ${JSON.stringify(dir)}, secrets: { CODER_SELF_TOKEN: 'tok-1' } }`
          : 'undefined'
      },
    });
    // Beats for a while, then the main thread blocks for good.
    setTimeout(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000), 500);
  `;
}

async function stall(options: { relaunch: boolean; stopping: boolean }) {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csr-watchdog-'));
  const file = path.join(dir, 'stalling.ts');
  fs.writeFileSync(file, script(options));
  const before = Date.now();
  const result = await execa(process.execPath, ['--import', 'tsx', file], {
    reject: false,
    cwd: repoRoot,
    timeout: 30_000,
  });
  return { result, tookMs: Date.now() - before, read: (name: string) => fs.readFileSync(path.join(dir, name), 'utf8') };
}

describe('the stall watchdog', () => {
  it('kills, says why, and hands the secrets to a fresh process before the stalled one is SIGKILLed', async () => {
    const { result, tookMs, read } = await stall({ relaunch: true, stopping: false });
    expect(result.signal, result.stderr).toBe('SIGKILL');
    expect(tookMs).toBeLessThan(20_000);
    expect(read('kills').trim()).toBe('killed');
    expect(read('4_supervisor_state')).toMatch(
      /^stalled: the supervisor did not run for \d+ s; it killed the runner and a fresh supervisor takes over/,
    );
    expect(read('supervisor.log')).toMatch(/the event loop of the supervisor stalled/);
    expect(fs.existsSync(path.join(dir, 'supervisor.lock'))).toBe(false);
    // The fresh process may have created the file and not yet written it: poll what it holds.
    await expect
      .poll(() => {
        try {
          return JSON.parse(read('fresh.json')) as unknown;
        } catch {
          return undefined;
        }
      })
      .toEqual({ type: 'secrets', values: { CODER_SELF_TOKEN: 'tok-1' } });
  }, 40_000);

  it('during a stop only kills: no fresh supervisor, the lock stays', async () => {
    const { result, read } = await stall({ relaunch: true, stopping: true });
    expect(result.signal, result.stderr).toBe('SIGKILL');
    expect(read('kills').trim()).toBe('killed');
    expect(read('4_supervisor_state')).not.toMatch(/fresh supervisor/);
    expect(fs.existsSync(path.join(dir, 'fresh.json'))).toBe(false);
    expect(fs.lstatSync(path.join(dir, 'supervisor.lock')).isSymbolicLink()).toBe(true);
  }, 40_000);
});
