// The product's central claim with the real runner: a real session locks the workspace through
// the supervisor's real wrapper, the dashboard says so, and the workspace deletes itself once
// (the supervisor bundle as a process, the pinned runner, the Anthropic and Coder API doubles).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAnthropicDouble, type AnthropicDouble } from '../helpers/anthropic-double.js';
import { LoopbackNamespace } from '../helpers/real-runner.js';
import { claudeRecords } from '../helpers/real-session.js';
import { realWorkspace, type RealWorkspace } from '../helpers/real-workspace.js';
import { waitFor } from '../helpers/sandbox.js';

describe('a workspace whose real runner serves a real session', () => {
  let ns: LoopbackNamespace;
  let double: AnthropicDouble;
  let workspace: RealWorkspace | undefined;
  beforeAll(async () => {
    ns = await LoopbackNamespace.create();
    double = await startAnthropicDouble(ns, 18401);
  });
  afterEach(async () => {
    await workspace?.cleanup();
    workspace = undefined;
  });
  afterAll(async () => {
    await double?.stop();
    ns?.close();
  });

  /** The Coder API double prints each request once answered: wait for the delete, then for any other. */
  async function exactlyOneDelete(ws: RealWorkspace) {
    await waitFor('the delete build', () => ws.deletes() >= 1, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(ws.deletes()).toBe(1);
  }

  async function servingSession(name: string, healthPort: number) {
    const ws = await realWorkspace(ns, double, { name, healthPort });
    workspace = ws;
    const before = (await double.state()).runners.length;
    const start = await ws.command('start');
    expect(start.exitCode, start.stderr).toBe(0);
    const runner = await double.waitFor('the runner to register', (s) => s.runners[before]);
    await waitFor(
      'the idle dashboard',
      () => ws.item('2_runner_id') === runner.id && ws.item('0_lock_status') === 'unlocked',
      30_000,
    );

    const session = await double.createSession();
    await waitFor('the session to lock the workspace', () => ws.item('0_lock_status') === 'locked', 30_000);
    return { ws, session };
  }

  it('locks on the real session (the wrapper records the session that the runner named), shows it, and deletes itself once when the session ends', async () => {
    const { ws, session } = await servingSession('lock', 18410);
    // The wrapper recorded the session start from the runner's own session variables (the lock
    // record itself is written by whichever sees the session first: the wrapper, or the
    // supervisor through the runner's /healthz, which counts it before the child is spawned).
    expect(fs.existsSync(path.join(ws.stateDir, 'locked'))).toBe(true);
    expect(fs.readFileSync(path.join(ws.stateDir, 'sessions'), 'utf8')).toMatch(new RegExp(`^\\d+ ${session.id}\\n$`));
    // The wrapper records the lock before it execs claude, which records itself a moment later.
    const child = await waitFor('the session child', () => claudeRecords(ws.claudeRecord)[0], 15_000);
    expect(child).toMatchObject({ id: session.id, uuid: session.uuid, fd3: 'open', stdin: 'socket' });
    expect(child?.argv.slice(-2)).toEqual(['--permission-mode', 'bypassPermissions']);
    await waitFor('one active session on the dashboard', () => ws.item('1_active_sessions') === '1 / 1', 15_000);
    const status = await ws.command('status');
    expect(JSON.parse(status.stdout)).toMatchObject({ locked: true, sessionsSeen: 1 });

    await double.closeSession(session.id);
    await waitFor('self-eviction', () => ws.status()?.state === 'evicted', 30_000);
    expect(ws.status()?.eviction?.outcome).toBe('succeeded');
    await exactlyOneDelete(ws);
    expect(ws.runnerLog()).toContain(
      '[runner:exit] account workload drained — exiting (grace=0, no re-poll). Orchestrator will restart.',
    );
    const left = (await double.state()).runners.find((r) => r.id === ws.item('2_runner_id'));
    expect(left?.deregistered).toBeDefined();
  });

  it('a stop while the session runs: the runner drains it itself, and the next start deletes the workspace once', async () => {
    const { ws } = await servingSession('stop', 18420);
    await waitFor('the session child', () => claudeRecords(ws.claudeRecord)[0], 15_000);
    const child = claudeRecords(ws.claudeRecord)[0]?.pid ?? 0;
    expect(() => process.kill(child, 0)).not.toThrow();
    const stop = await ws.command('stop');
    expect(stop.exitCode, stop.stderr).toBe(0);
    expect(ws.status()?.state).toBe('stopped');
    expect(() => process.kill(child, 0)).toThrow();
    const log = ws.runnerLog();
    expect(log).toMatch(
      /Received shutdown signal, draining active sessions\.\.\. \(SIGTERM; uptime \d+s; 1 active session\(s\)/,
    );
    expect(log).toContain('Drain complete');
    expect(log).toContain('[runner:exit] Deregistered');
    const runnerId = ws.item('2_runner_id');
    expect((await double.state()).runners.find((r) => r.id === runnerId)?.deregistered?.body).toEqual({
      reason: 'host_drain',
    });
    // A stop is no reason to delete; a locked workspace that starts again never serves anyone.
    expect(ws.deletes()).toBe(0);
    const registered = (await double.state()).runners.length;
    const start = await ws.command('start');
    expect(start.exitCode, start.stderr).toBe(0);
    await waitFor('self-eviction', () => ws.status()?.state === 'evicted', 30_000);
    await exactlyOneDelete(ws);
    expect((await double.state()).runners).toHaveLength(registered);
  });
});
