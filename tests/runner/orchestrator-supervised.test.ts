// The orchestrator role with the real orchestrator (2.1.330): the supervisor bundle runs it, its
// spawn-runner hook is the bundle's own, and a spawn request from the Anthropic API double
// becomes one workspace in the (spawn side of the) Coder API double, with the request's work
// order as its build parameter. Everything runs inside the loopback-only network guard.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAnthropicDouble, type AnthropicDouble } from '../helpers/anthropic-double.js';
import { LoopbackNamespace } from '../helpers/real-runner.js';
import { realOrchestrator, spawnToken, type RealOrchestrator } from '../helpers/real-orchestrator.js';
import { waitFor } from '../helpers/sandbox.js';

describe('the supervised orchestrator', () => {
  let ns: LoopbackNamespace;
  let double: AnthropicDouble;
  let orchestrator: RealOrchestrator | undefined;
  beforeAll(async () => {
    ns = await LoopbackNamespace.create();
    double = await startAnthropicDouble(ns, 18801);
  });
  afterEach(async () => {
    await orchestrator?.cleanup();
    orchestrator = undefined;
  });
  afterAll(async () => {
    await double?.stop();
    ns?.close();
  });

  it('turns a spawn request into one runner workspace with its work order, and shows it on the dashboard', async () => {
    const o = await realOrchestrator(ns, double, { name: 'ok', healthPort: 18802 });
    orchestrator = o;
    await waitFor('the orchestrator to connect', () => o.item('0_connected') === 'connected', 30_000);
    const session = await double.createSession({ spawn: true });
    await waitFor('a runner workspace', () => o.created()[0], 30_000);
    const [created] = o.created();
    const order = (await double.state()).orders.find((x) => x.sessionId === session.id);
    expect(created?.parameters).toEqual([{ name: 'work_order', value: order?.jwt }]);
    expect(created?.preset).toBe('preset-0-on-demand');
    expect(created?.name).toMatch(/^claude-run-[0-9a-f]{16}$/);
    await waitFor(
      'the dashboard to count it',
      () => o.item('2_spawn_hooks') === '1 ok / 0 retryable / 0 refused',
      30_000,
    );
    expect(o.item('4_supervisor_state')).toMatch(/^serving spawn requests: last poll \d+s ago/);
    expect((await double.state()).nacks).toEqual([]);
    // The hook's config holds the Coder token (0400); the environment secret stays in its own file.
    const config = path.join(o.stateDir, 'spawn-config.json');
    expect(fs.statSync(config).mode & 0o777).toBe(0o400);
    expect(fs.readFileSync(config, 'utf8')).toContain(spawnToken);
    expect(fs.readFileSync(config, 'utf8')).not.toContain(await double.environmentSecret());
    // No secret in any log.
    expect(o.log()).not.toContain(spawnToken);
    expect(o.log()).not.toContain(await double.environmentSecret());
    expect(o.log()).not.toContain(order?.jwt ?? 'no order');
  });

  it('a template that does not exist is refused at boot: quarantined before it polls, with the fix', async () => {
    const o = await realOrchestrator(ns, double, { name: 'no-template', healthPort: 18803, template: 'gone' });
    orchestrator = o;
    await waitFor('quarantine', () => o.status()?.state === 'quarantined', 30_000);
    expect(o.status()?.reason).toMatch(
      /^the Coder token cannot create runner workspaces.*reading template gone in organization default answered 404/,
    );
    expect(o.status()?.programPid).toBeUndefined();
  });

  it('a template deleted later makes each request a non-retryable nack with the message for the user', async () => {
    const o = await realOrchestrator(ns, double, { name: 'template-gone', healthPort: 18806 });
    orchestrator = o;
    await waitFor('the orchestrator to connect', () => o.item('0_connected') === 'connected', 30_000);
    o.removeTemplate();
    const session = await double.createSession({ spawn: true });
    const nack = await double.waitFor('a nack', (s) => s.nacks.find((n) => n.session_uuid === session.uuid), 30_000);
    expect(nack.retryable).toBe(false);
    expect(nack.user_message).toMatch(/^The on-demand runner pool's template or preset does not exist/);
    expect(nack.error).toMatch(/looking up the runner template: Coder answered 404/);
    expect(nack.error).not.toContain(spawnToken);
    await waitFor(
      'the dashboard to count it',
      () => o.item('2_spawn_hooks') === '0 ok / 0 retryable / 1 refused',
      30_000,
    );
    expect(o.created()).toEqual([]);
  });

  it('a refused environment secret is a crash loop that names pool_secret, quarantined', async () => {
    const o = await realOrchestrator(ns, double, {
      name: 'bad-secret',
      healthPort: 18804,
      secret: 'sk-ant-double-x.eyJjY3I6cG9vbF9pZCI6ImNjcG9vbF94In0.x',
    });
    orchestrator = o;
    await waitFor('quarantine', () => o.status()?.state === 'quarantined', 60_000);
    expect(o.status()?.reason).toMatch(/crash loop: the orchestrator failed 3 times .* check pool_secret/);
    expect(o.item('6_last_error')).toMatch(/PollSpawnHints rejected \(HTTP 401\)/);
  });

  it('a stop drains the orchestrator and ends without a restart', async () => {
    const o = await realOrchestrator(ns, double, { name: 'stop', healthPort: 18805 });
    orchestrator = o;
    await waitFor('the orchestrator to connect', () => o.item('0_connected') === 'connected', 30_000);
    o.supervisor.kill('SIGTERM');
    const done = await o.supervisor.done;
    expect(done.exitCode).toBe(0);
    expect(o.status()?.state).toBe('stopped');
    expect(o.status()?.restarts).toBe(0);
  });
});
