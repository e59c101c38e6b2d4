// The real runner (2.1.330) serves sessions that the Anthropic API double assigns: it spawns each
// session's child through --exec-path (the supervisor's real session wrapper, which execs the
// stand-in claude) with the variables and flags it really sets, keeps it while the session is
// active, and ends it when the double closes the session.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnthropicDouble, type AnthropicDouble } from '../helpers/anthropic-double.js';
import { LoopbackNamespace, withoutPrefix } from '../helpers/real-runner.js';
import { claudeRecords, credentialFile, sessionWrapper, startRealRunner } from '../helpers/real-session.js';

const healthPort = 18300;

describe('the real runner serving sessions from the Anthropic API double', () => {
  let ns: LoopbackNamespace;
  let double: AnthropicDouble;
  let secretFile: string;
  beforeAll(async () => {
    ns = await LoopbackNamespace.create();
    double = await startAnthropicDouble(ns, 18301);
    secretFile = credentialFile(ns.dir, 'environment-secret', await double.environmentSecret());
  });
  afterAll(async () => {
    await double?.stop();
    ns?.close();
  });

  it('spawns the session child through the wrapper with its variables, stdin and fd 3, and ends it when the session closes', async () => {
    const wrapper = sessionWrapper(path.join(ns.dir, 'one'), 'acceptEdits');
    // The server computes part of the child's flags; a permission mode among them comes before ours.
    const session = await double.createSession({ claudeCodeArgs: { 'permission-mode': 'default' } });
    const runner = startRealRunner(ns, double, {
      name: 'one',
      secretFile,
      args: ['--exec-path', wrapper.file, '--health-port', String(healthPort)],
      env: { STANDIN_CLAUDE_RECORD: wrapper.record, STANDIN_SESSION_SEC: '120' },
    });
    const spawned = await runner.waitForLine(/\[runner:session\] \S+ child spawned pid=(\d+)/);
    await double.waitFor('the child to record itself', () => claudeRecords(wrapper.record).length === 1, 15_000);

    const [child] = claudeRecords(wrapper.record);
    // The wrapper exec'd: the pid the runner spawned is the stand-in claude's own.
    expect(child?.pid).toBe(Number(/pid=(\d+)/.exec(spawned.text)?.[1]));
    expect(child).toMatchObject({
      id: session.id,
      uuid: session.uuid,
      remoteUuid: session.uuid,
      stdin: 'socket',
      fd3: 'open',
    });
    expect(child?.argv.slice(0, 4)).toEqual([
      '--print',
      '--sdk-url',
      `${double.url}/v1/code/sessions/${session.id}`,
      '--input-format',
    ]);
    expect(child?.argv.slice(-4)).toEqual(['--permission-mode', 'default', '--permission-mode', 'acceptEdits']);
    // The wrapper saw a session start: it recorded the lock, naming the session.
    expect(fs.readFileSync(wrapper.lockedFlag, 'utf8')).toMatch(new RegExp(`^\\d+ ${session.id}\\n$`));
    expect(fs.readFileSync(wrapper.sessionsFile, 'utf8').trim().split('\n')).toHaveLength(1);

    const health = await ns.httpGet(`http://127.0.0.1:${healthPort}/healthz`);
    expect(JSON.parse(health?.body ?? '{}')).toMatchObject({ active_sessions: 1 });
    const state = await double.state();
    expect(state.sessions.find((s) => s.id === session.id)).toMatchObject({
      state: 'assigned',
      tokens: 1,
      workerEpoch: 1,
    });

    await double.closeSession(session.id);
    const outcome = await runner.done;
    expect(outcome.exitCode).toBe(0);
    const texts = runner.lines.map((l) => withoutPrefix(l.text));
    expect(texts).toContain(`Picked up session ${session.id} (1/1 active)`);
    expect(texts).toContain(
      `[runner:session] ${session.id} deassigned by server (deleted/archived/requeued) — aborting child`,
    );
    expect(texts.slice(-2)).toEqual([
      '[runner:exit] account workload drained — exiting (grace=0, no re-poll). Orchestrator will restart.',
      '[runner:exit] Deregistered',
    ]);
    const after = await double.state();
    const closed = after.sessions.find((s) => s.id === session.id);
    expect(closed?.state).toBe('closed');
    expect(after.runners.find((r) => r.id === closed?.runnerId)?.deregistered).toBeDefined();
  });

  it('--capacity 2: two sessions run at once, the third waits until a slot is free', async () => {
    const wrapper = sessionWrapper(path.join(ns.dir, 'capacity'), 'bypassPermissions');
    const sessions = [await double.createSession(), await double.createSession(), await double.createSession()];
    const runner = startRealRunner(ns, double, {
      name: 'capacity',
      secretFile,
      args: ['--exec-path', wrapper.file, '--capacity', '2', '--health-port', '0'],
      env: { STANDIN_CLAUDE_RECORD: wrapper.record, STANDIN_SESSION_SEC: '120' },
    });
    await double.waitFor('two children', () => claudeRecords(wrapper.record).length === 2, 20_000);
    const running = claudeRecords(wrapper.record);
    for (const child of running) {
      expect(child.fd3).toBe('open');
      expect(child.argv.slice(-2)).toEqual(['--permission-mode', 'bypassPermissions']);
      expect(() => process.kill(child.pid, 0)).not.toThrow();
    }
    const ids = running.map((c) => c.id);
    expect(new Set(ids).size).toBe(2);
    const third = sessions.find((s) => !ids.includes(s.id));
    if (!third) throw new Error('all three sessions started');
    // The first one ends; the next poll still reports no room (it was counted before), and the
    // third session waits for the one after.
    await double.closeSession(ids[0] ?? '');
    const runnerId = (await double.state()).sessions.find((s) => s.id === ids[0])?.runnerId;
    await double.waitFor(
      'a poll with no room',
      (s) => s.runners.find((r) => r.id === runnerId)?.lastPollBody?.available_capacity === 0,
      15_000,
    );
    expect((await double.state()).sessions.find((s) => s.id === third.id)?.state).toBe('waiting');
    expect(claudeRecords(wrapper.record)).toHaveLength(2);

    await double.waitFor('the third child', () => claudeRecords(wrapper.record).length === 3, 20_000);
    expect(claudeRecords(wrapper.record)[2]?.id).toBe(third.id);
    const texts = runner.lines.map((l) => withoutPrefix(l.text));
    expect(texts.filter((t) => /^Picked up session \S+ \([12]\/2 active\)$/.test(t))).toHaveLength(3);
    expect(texts).toContain(
      `[runner:session] ${ids[0]} deassigned by server (deleted/archived/requeued) — aborting child`,
    );
    runner.kill('SIGTERM');
    expect((await runner.done).exitCode).toBe(0);
  });
});
