// (d) SIGTERM: during registration it ends the runner at once; once registered it drains and exits 0.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoopbackNamespace, follow, startApiDouble, withoutPrefix, writeSecret } from '../helpers/real-runner.js';

describe('SIGTERM to the real runner', () => {
  let ns: LoopbackNamespace;
  beforeAll(async () => {
    ns = await LoopbackNamespace.create();
  });
  afterAll(() => ns?.close());

  it('during registration: the signal ends it quickly, without a drain', async () => {
    const runner = follow(
      ns.runClaude([
        'self-hosted-runner',
        '--environment-secret-file',
        writeSecret(ns.dir),
        '--base-dir',
        path.join(ns.dir, 'base-a'),
        '--health-port',
        '18081',
      ]),
    );
    await runner.waitForLine(/RegisterRunner attempt 1 transient failure/);
    const before = runner.lines.length;
    const sentAt = Date.now();
    runner.kill('SIGTERM');
    const outcome = await runner.done;
    // No handler is installed yet: the default action of SIGTERM ends the process.
    expect(outcome.signal).toBe('SIGTERM');
    expect(outcome.exitCode).toBeUndefined();
    expect(outcome.endedAt - sentAt).toBeLessThan(10_000);
    // The registration line printed just before the kill may land after it; the signal itself
    // prints nothing: no drain, no shutdown, no deregistration.
    const after = runner.lines.slice(before).map((line) => line.text);
    expect(after.filter((text) => /shutdown|drain|Deregistered|Forced/i.test(text))).toEqual([]);
  });

  it('once registered: one SIGTERM drains, deregisters and exits 0', async () => {
    const api = await startApiDouble(ns, 18990, 'ok');
    try {
      const runner = follow(
        ns.runClaude([
          'self-hosted-runner',
          '--environment-secret-file',
          writeSecret(ns.dir),
          '--base-dir',
          path.join(ns.dir, 'base-b'),
          '--health-port',
          '18082',
          '--api-url',
          api.url,
        ]),
      );
      await runner.waitForLine(/^\S+ \[self-hosted-runner\] Registered: runner_id=ccrunner_\w+$/);
      await runner.waitForLine(/\[runner:health\] \/healthz and \/metrics listening on :18082$/);
      runner.kill('SIGTERM');
      const outcome = await runner.done;
      expect(outcome.exitCode).toBe(0);
      const texts = runner.lines.map((line) => withoutPrefix(line.text));
      const drainAt = texts.findIndex((text) =>
        text.startsWith('Received shutdown signal, draining active sessions... '),
      );
      expect(texts[drainAt]).toMatch(
        /^Received shutdown signal, draining active sessions\.\.\. \(SIGTERM; uptime \d+s; 0 active session\(s\), 0 of them idle\)$/,
      );
      // The drain budget is said again when the drain begins.
      expect(texts[drainAt + 1]).toMatch(/^\[runner\] This runner needs up to 80s to stop the Claude process/);
      expect(texts.at(-1)).toBe('[runner:exit] Deregistered');
      expect(api.requests().map((r) => r.path)).toContain('/v1/code/runners/self-hosted/deregister');
    } finally {
      await api.stop();
    }
  });
});
