// The real orchestrator (`claude self-hosted-runner orchestrator`, 2.1.330) against the Anthropic
// API double: it runs the spawn-runner hook once per spawn request, session-bound and standby,
// with the documented environment, and reports the hook's outcome by its exit status (0 ok,
// 1 retryable, >= 2 non-retryable with its `user-message:`). A runner started with the work order
// that the hook got registers once; every later registration with it is refused, and the
// supervisor classifies the runner's exit from the real line.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyRunnerExit } from '../../supervisor/src/roles/runner/classify-exit.js';
import { startAnthropicDouble, type AnthropicDouble, type DoubleSession } from '../helpers/anthropic-double.js';
import { LoopbackNamespace, follow, withoutPrefix } from '../helpers/real-runner.js';
import { claudeRecords, credentialFile, sessionWrapper, startRealRunner } from '../helpers/real-session.js';

/** Records its environment and its work order (copied: the file is deleted when it exits). */
const hook = (dir: string) => `#!/bin/sh
key="\${CLAUDE_RUNNER_SESSION_UUID:-standby}"
env > '${dir}/env-'"$key"
stat -c %a "$CLAUDE_RUNNER_WORK_ORDER_FILE" > '${dir}/mode-'"$key"
cp "$CLAUDE_RUNNER_WORK_ORDER_FILE" '${dir}/order-'"$key"
code=0
[ -f '${dir}/exit-'"$key" ] && code="$(cat '${dir}/exit-'"$key")"
echo "hook for $key exits $code" >&2
[ "$code" -ge 2 ] && echo 'user-message: No workspace could be made for this session (quota).' >&2
exit "$code"
`;

function envOf(file: string): Record<string, string> {
  return Object.fromEntries(
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

describe('the real orchestrator and runners started from its work orders', () => {
  let ns: LoopbackNamespace;
  let double: AnthropicDouble;
  let secret: string;
  let secretFile: string;
  let records: string;
  /** The session whose hook succeeded, and the work order its hook got. */
  let served: { session: DoubleSession; orderFile: string } | undefined;
  beforeAll(async () => {
    ns = await LoopbackNamespace.create();
    double = await startAnthropicDouble(ns, 18601);
    secret = await double.environmentSecret();
    secretFile = credentialFile(ns.dir, 'environment-secret', secret);
    records = path.join(ns.dir, 'hook-records');
    fs.mkdirSync(records);
  });
  afterAll(async () => {
    await double?.stop();
    ns?.close();
  });

  function startOrchestrator(hooksDir: string, extra: string[]) {
    return follow(
      ns.runClaude([
        'self-hosted-runner',
        'orchestrator',
        '--hooks-dir',
        hooksDir,
        '--environment-secret-file',
        secretFile,
        '--api-url',
        double.url,
        ...extra,
      ]),
    );
  }

  it('runs the hook for a session request and a standby request with the documented environment, and honours exit 0, 1 and >= 2', async () => {
    const sources = [{ type: 'git_repository', url: 'https://github.com/example/app', revision: 'main' }];
    const [ok, retry, refuse] = [
      await double.createSession({ spawn: true }),
      // A session with a repository is only for the hook: a runner would check it out (git
      // ls-remote), and the namespace has no git host.
      await double.createSession({ spawn: true, sources }),
      await double.createSession({ spawn: true }),
    ];
    if (!ok || !retry || !refuse) throw new Error('no sessions');
    fs.writeFileSync(path.join(records, `exit-${retry.uuid}`), '1');
    fs.writeFileSync(path.join(records, `exit-${refuse.uuid}`), '3');
    fs.writeFileSync(path.join(records, 'exit-standby'), '1');
    const hooksDir = path.join(ns.dir, 'hooks');
    fs.mkdirSync(hooksDir);
    fs.writeFileSync(path.join(hooksDir, 'spawn-runner'), hook(records), { mode: 0o755 });

    const orchestrator = startOrchestrator(hooksDir, ['--min-idle', '1', '--health-port', '18602']);
    await double.waitFor('two nacks', (s) => s.nacks.length === 2);
    await orchestrator.waitForLine(/\[runner:orchestrator\] warm hook failed jti=/, 15_000);
    await orchestrator.waitForLine(/\[runner:orchestrator\] ok session=/, 15_000);
    const metrics = (await ns.httpGet('http://127.0.0.1:18602/metrics'))?.body ?? '';
    orchestrator.kill('SIGTERM');
    expect((await orchestrator.done).exitCode).toBe(0);

    const state = await double.state();
    const orderOf = (session: DoubleSession) => state.orders.find((o) => o.sessionId === session.id);
    const standby = state.orders.find((o) => o.kind === 'standby');
    const poll = state.orchestrators[0]?.lastPollBody;
    expect(poll).toMatchObject({ max: 4, expected_spawn_seconds: 120, min_idle: 1, client_version: '2.1.330' });

    // The session request's hook: the documented variables, the order file 0600 and gone after it.
    const env = envOf(path.join(records, `env-${ok.uuid}`));
    expect(env).toMatchObject({
      CLAUDE_RUNNER_ORDER_ID: orderOf(ok)?.jti,
      CLAUDE_RUNNER_SESSION_ID: ok.id.replace(/^cse_/, 'session_'),
      CLAUDE_RUNNER_SESSION_UUID: ok.uuid,
      CLAUDE_CODE_REMOTE_SESSION_UUID: ok.uuid,
      CLAUDE_RUNNER_ATTEMPT: '1',
      CLAUDE_RUNNER_SPAWN_REASON: 'session_created',
      CLAUDE_RUNNER_POOL_ID: state.poolId,
      CLAUDE_RUNNER_ACCOUNT_ID: expect.stringMatching(/^user_/),
      CLAUDE_RUNNER_ACCOUNT_EMAIL: 'person@example.invalid',
      CLAUDE_RUNNER_PRIMARY_REPO_URL: '',
      CLAUDE_RUNNER_REPO_SOURCES: '',
      CLAUDE_RUNNER_CLIENT_PLATFORM: 'web',
    });
    expect(envOf(path.join(records, `env-${retry.uuid}`))).toMatchObject({
      CLAUDE_RUNNER_PRIMARY_REPO_URL: 'https://github.com/example/app',
      CLAUDE_RUNNER_PRIMARY_REPO_REVISION: 'main',
      CLAUDE_RUNNER_REPO_SOURCES: JSON.stringify([{ url: 'https://github.com/example/app', revision: 'main' }]),
    });
    expect(env.CLAUDE_RUNNER_ORDER_SERVER_TIME).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    expect(env.CLAUDE_RUNNER_CORRELATION_ID).toMatch(/^corr_/);
    expect(fs.readFileSync(path.join(records, `mode-${ok.uuid}`), 'utf8').trim()).toBe('600');
    expect(fs.existsSync(env.CLAUDE_RUNNER_WORK_ORDER_FILE ?? '')).toBe(false);
    expect(fs.readFileSync(path.join(records, `order-${ok.uuid}`), 'utf8')).toBe(orderOf(ok)?.jwt);
    // The environment secret never reaches the hook.
    expect(Object.keys(env).filter((k) => /^SELF_HOSTED_RUNNER_(ENVIRONMENT|POOL)_SECRET$/.test(k))).toEqual([]);
    expect(fs.readFileSync(path.join(records, `env-${ok.uuid}`), 'utf8')).not.toContain(secret.slice(-40));

    // The standby request's hook: an order bound to no session.
    const standbyEnv = envOf(path.join(records, 'env-standby'));
    expect(standbyEnv).toMatchObject({
      CLAUDE_RUNNER_ORDER_ID: standby?.jti,
      CLAUDE_RUNNER_SESSION_ID: '',
      CLAUDE_RUNNER_SESSION_UUID: '',
      CLAUDE_RUNNER_SPAWN_REASON: 'prewarm',
    });

    // Exit 1: retryable; >= 2: non-retryable with the user's message; 0 and a standby's failure: no nack.
    expect(state.nacks.map((nack) => ({ ...nack, at: undefined }))).toEqual(
      expect.arrayContaining([
        {
          at: undefined,
          session_uuid: retry.uuid,
          attempt: 1,
          error: `hook for ${retry.uuid} exits 1\n`,
          retryable: true,
          failure_kind: 'SESSION_FAILURE_KIND_SPAWN_HOOK_ERROR',
        },
        {
          at: undefined,
          session_uuid: refuse.uuid,
          attempt: 1,
          error: `hook for ${refuse.uuid} exits 3\nuser-message: No workspace could be made for this session (quota).\n`,
          retryable: false,
          failure_kind: 'SESSION_FAILURE_KIND_SPAWN_HOOK_ERROR',
          user_message: 'No workspace could be made for this session (quota).',
        },
      ]),
    );
    expect(state.nacks).toHaveLength(2);
    expect(metrics).toContain('claude_code_self_hosted_orchestrator_spawn_hooks_total{result="ok"} 1\n');
    expect(metrics).toContain('claude_code_self_hosted_orchestrator_spawn_hooks_total{result="retryable"} 2\n');
    expect(metrics).toContain('claude_code_self_hosted_orchestrator_spawn_hooks_total{result="non_retryable"} 1\n');
    expect(metrics).toContain('claude_code_self_hosted_orchestrator_warm_hints_dispatched_total 1\n');

    served = { session: ok, orderFile: credentialFile(ns.dir, 'work-order', orderOf(ok)?.jwt ?? '') };
  });

  it('a session whose runner did not register within the lease is requested again with a fresh order; the old one is superseded', async () => {
    const session = await double.createSession({ spawn: true });
    const hooksDir = path.join(ns.dir, 'hooks-lease');
    fs.mkdirSync(hooksDir);
    const leaseRecords = path.join(ns.dir, 'hook-records-lease');
    fs.mkdirSync(leaseRecords);
    // The hook keeps a copy of each attempt's order under the attempt's number.
    fs.writeFileSync(
      path.join(hooksDir, 'spawn-runner'),
      `#!/bin/sh\ncp "$CLAUDE_RUNNER_WORK_ORDER_FILE" '${leaseRecords}/order-'"$CLAUDE_RUNNER_ATTEMPT"\nenv > '${leaseRecords}/env-'"$CLAUDE_RUNNER_ATTEMPT"\n`,
      { mode: 0o755 },
    );
    // The shortest lease it accepts (10 s, and more than the hook timeout plus 5 s).
    const orchestrator = startOrchestrator(hooksDir, [
      '--hook-timeout',
      '1',
      '--expected-spawn-seconds',
      '10',
      '--health-port',
      '0',
    ]);
    await double.waitFor('a second attempt', () => fs.existsSync(path.join(leaseRecords, 'env-2')), 30_000);
    orchestrator.kill('SIGTERM');
    expect((await orchestrator.done).exitCode).toBe(0);
    expect(envOf(path.join(leaseRecords, 'env-2'))).toMatchObject({
      CLAUDE_RUNNER_SESSION_UUID: session.uuid,
      CLAUDE_RUNNER_ATTEMPT: '2',
      CLAUDE_RUNNER_SPAWN_REASON: 'no_runner_registered',
    });
    const first = fs.readFileSync(path.join(leaseRecords, 'order-1'), 'utf8');
    const orders = (await double.state()).orders.filter((o) => o.sessionId === session.id);
    expect(orders.map((o) => [o.attempt, o.state])).toEqual([
      [1, 'superseded'],
      [2, 'handed-out'],
    ]);
    // A runner that comes late with the first order is not needed any more.
    const late = startRealRunner(ns, double, {
      name: 'late',
      secretFile: credentialFile(ns.dir, 'late-order', first),
      args: ['--health-port', '0'],
    });
    expect((await late.done).exitCode).toBe(1);
    expect(withoutPrefix(late.lines.at(-1)?.text ?? '')).toMatch(
      /^\[runner:fatal\] RegisterRunner refused because this work order has been superseded, so this runner is not needed\. /,
    );
    await double.closeSession(session.id);
  });

  it("a runner started with the hook's work order registers once, serves its session, and a second one with it is refused", async () => {
    if (!served) throw new Error('the previous test did not leave a work order');
    const { session, orderFile } = served;
    const wrapper = sessionWrapper(path.join(ns.dir, 'spawned'), 'bypassPermissions');
    const runner = startRealRunner(ns, double, {
      name: 'spawned',
      secretFile: orderFile,
      args: ['--exec-path', wrapper.file, '--health-port', '18603'],
      env: { STANDIN_CLAUDE_RECORD: wrapper.record, STANDIN_SESSION_SEC: '120' },
    });
    await double.waitFor('the child', () => claudeRecords(wrapper.record)[0], 15_000);
    expect(claudeRecords(wrapper.record)[0]?.id).toBe(session.id);
    const metrics = (await ns.httpGet('http://127.0.0.1:18603/metrics'))?.body ?? '';
    expect(metrics).toMatch(/^claude_code_self_hosted_runner_order_to_registered_seconds \d+$/m);
    expect(metrics).toMatch(/^claude_code_self_hosted_runner_order_to_first_session_seconds \d+$/m);
    const state = await double.state();
    const order = state.orders.find((o) => o.sessionId === session.id);
    expect(order).toMatchObject({ state: 'redeemed', registrations: 1 });
    expect(state.runners.find((r) => r.id === order?.runnerId)).toMatchObject({
      credential: 'work-order',
      boundSessionId: session.id,
    });

    const second = startRealRunner(ns, double, {
      name: 'second',
      secretFile: orderFile,
      args: ['--exec-path', wrapper.file, '--health-port', '0'],
    });
    const outcome = await second.done;
    const lines = second.lines.map((l) => l.text);
    const fatal = withoutPrefix(lines.at(-1) ?? '');
    expect(outcome.exitCode).toBe(1);
    expect(fatal).toBe(
      '[runner:fatal] RegisterRunner refused because this work order has already been used, or another runner already has its session. A work order is single-use and short-lived, so restarting this runner with the same one cannot help. A restarted runner needs a fresh work order, which comes only with a new spawn request. The environment secret is not at fault, so do not rotate it. See https://code.claude.com/docs/en/self-hosted-environments-deploy#troubleshooting The server answered (HTTP 409) work_order_not_redeemable, already_registered: work order already redeemed',
    );
    expect(
      classifyRunnerExit({ exitCode: 1, signal: undefined, runtimeMs: 1000, spawnError: undefined }, lines),
    ).toEqual({ kind: 'work-order-refused', line: fatal });
    expect((await double.state()).orders.find((o) => o.jti === order?.jti)?.registrations).toBe(2);

    runner.kill('SIGTERM');
    expect((await runner.done).exitCode).toBe(0);
  });

  it.each<[string, (d: AnthropicDouble) => Promise<string>, number, RegExp]>([
    [
      'an expired order (401)',
      async (d) => (await d.mintOrder({ expiresInSec: -60 })).jwt,
      1,
      /^RegisterRunner refused because this work order expired at \S+Z\. .* The server answered \(HTTP 401\) authentication_error: work order expired$/,
    ],
    [
      'an order the server refuses before its time (401)',
      async (d) => {
        const order = await d.mintOrder();
        await d.changeOrder(order.jti, { expire: true });
        return order.jwt;
      },
      1,
      /^RegisterRunner refused because the server did not accept this work order, which has not expired by this host's clock\. /,
    ],
    [
      'a superseded order (409 superseded)',
      async (d) => {
        const order = await d.mintOrder();
        await d.changeOrder(order.jti, { supersede: true });
        return order.jwt;
      },
      1,
      /^RegisterRunner refused because this work order has been superseded, so this runner is not needed\. .* \(HTTP 409\) work_order_not_redeemable, superseded: /,
    ],
    [
      'an order whose session ended (409 session_not_active)',
      async (d) => {
        const order = await d.mintOrder();
        await d.closeSession(order.sessionId ?? '');
        return order.jwt;
      },
      0,
      /^RegisterRunner refused because the session is no longer active, so this runner is not needed\. .* \(HTTP 409\) session_not_active: /,
    ],
    [
      'an order whose session is paused (409 session_paused)',
      async (d) => {
        const order = await d.mintOrder();
        await d.changeOrder(order.jti, {
          refuse: { status: 409, type: 'work_order_not_redeemable', reason: 'session_paused' },
        });
        return order.jwt;
      },
      0,
      /^RegisterRunner refused because the session is paused, so no runner is needed for it right now\. /,
    ],
  ])('%s: the exit the binary makes of it', async (what, order, exitCode, line) => {
    const file = credentialFile(ns.dir, `order-${what.replace(/\W+/g, '-')}`, await order(double));
    const runner = startRealRunner(ns, double, {
      name: `refused-${exitCode}-${Date.now()}`,
      secretFile: file,
      args: ['--health-port', '0'],
    });
    const outcome = await runner.done;
    const lines = runner.lines.map((l) => l.text);
    const fatal = withoutPrefix(lines.at(-1) ?? '');
    expect(outcome.exitCode).toBe(exitCode);
    expect(fatal.replace('[runner:fatal] ', '')).toMatch(line);
    expect(
      classifyRunnerExit({ exitCode, signal: undefined, runtimeMs: 1000, spawnError: undefined }, lines).kind,
    ).toBe('work-order-refused');
  });

  it('a standby order used twice (409 standby_already_redeemed): the second runner exits 1', async () => {
    const order = await double.mintOrder({ kind: 'standby' });
    const file = credentialFile(ns.dir, 'standby-order', order.jwt);
    const first = startRealRunner(ns, double, { name: 'standby-1', secretFile: file, args: ['--health-port', '0'] });
    await first.waitForLine(/Registered: runner_id=/);
    const second = startRealRunner(ns, double, { name: 'standby-2', secretFile: file, args: ['--health-port', '0'] });
    const outcome = await second.done;
    expect(outcome.exitCode).toBe(1);
    expect(withoutPrefix(second.lines.at(-1)?.text ?? '')).toMatch(
      /^\[runner:fatal\] RegisterRunner refused because this work order has already been used, or another runner already has its session\. .* work_order_not_redeemable, standby_already_redeemed: /,
    );
    first.kill('SIGTERM');
    expect((await first.done).exitCode).toBe(0);
  });
});
