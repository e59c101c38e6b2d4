// (f) The health port: /healthz only after registration; a busy port is a warning, not an exit.
// The listener starts only once the runner has registered, so these runs register with the
// Anthropic API double (inside the same loopback-only namespace).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LoopbackNamespace,
  follow,
  holdPort,
  startApiDouble,
  withoutPrefix,
  writeSecret,
} from '../helpers/real-runner.js';

describe('the real runner health port', () => {
  let ns: LoopbackNamespace;
  let api: Awaited<ReturnType<typeof startApiDouble>>;
  beforeAll(async () => {
    ns = await LoopbackNamespace.create();
    api = await startApiDouble(ns, 18990, 'ok');
  });
  afterAll(async () => {
    await api?.stop();
    ns?.close();
  });

  const start = (healthPort: number, base: string) =>
    follow(
      ns.runClaude([
        'self-hosted-runner',
        '--environment-secret-file',
        writeSecret(ns.dir),
        '--base-dir',
        path.join(ns.dir, base),
        '--health-port',
        String(healthPort),
        '--api-url',
        api.url,
      ]),
    );

  it('answers /healthz once registered', async () => {
    const runner = start(18084, 'base-free');
    try {
      const listening = await runner.waitForLine(/\[runner:health\]/);
      expect(withoutPrefix(listening.text)).toBe('[runner:health] /healthz and /metrics listening on :18084');
      const health = await ns.httpGet('http://127.0.0.1:18084/healthz');
      expect(health?.status).toBe(200);
      const body = JSON.parse(health?.body ?? '{}') as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(
        ['active_sessions', 'last_poll_age_ms', 'last_poll_at', 'runner_id', 'status'].sort(),
      );
      const registered = /runner_id=(ccrunner_\w+)/.exec(
        runner.lines.find((l) => l.text.includes('Registered:'))?.text ?? '',
      );
      expect(body).toMatchObject({ status: 'ok', runner_id: registered?.[1], active_sessions: 0 });
      const metrics = await ns.httpGet('http://127.0.0.1:18084/metrics');
      expect(metrics?.body).toMatch(/^claude_code_self_hosted_runner_sessions_started_total\b/m);
    } finally {
      runner.kill('SIGTERM');
      await runner.done;
    }
  });

  it('warns about a busy port and keeps running without it', async () => {
    const held = await holdPort(ns, 18085);
    try {
      const runner = start(18085, 'base-busy');
      const warning = await runner.waitForLine(/healthz listener failed/);
      expect(warning.stream).toBe('stdout');
      expect(withoutPrefix(warning.text)).toBe(
        '[runner:warn] /healthz listener failed on port 18085: Failed to start server. Is port 18085 in use? — continuing without health endpoint',
      );
      // Still running after the warning: it polls the API for work and does not exit.
      const ended = await Promise.race([
        runner.done.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2000)),
      ]);
      expect(ended).toBe(false);
      expect(
        api.requests().some((r) => /^\/v1\/code\/runners\/self-hosted\/runners\/ccrunner_\w+\/poll$/.test(r.path)),
      ).toBe(true);
      expect(runner.lines.some((line) => /fatal/.test(line.text))).toBe(false);
      runner.kill('SIGTERM');
      expect((await runner.done).exitCode).toBe(0);
    } finally {
      await held.release();
    }
  });
});
