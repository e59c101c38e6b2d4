import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSpawnDouble, type SpawnDouble } from '../../helpers/coder-spawn-double.js';
import { runSpawnHook, spawnConfigFor, workOrderFor } from '../../helpers/spawn-hook.js';

/** The bundle's spawn-runner command as the orchestrator runs it: a process with the hook's environment. */
const token = 'runner-owner-token-VALUE-51ac';
const order = workOrderFor('jti-abc');
const dirs: string[] = [];
let double: SpawnDouble | undefined;
afterEach(async () => {
  await double?.close();
  double = undefined;
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function runHook(config: ReturnType<typeof spawnConfigFor>, env: Record<string, string> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csr-spawn-'));
  dirs.push(dir);
  return runSpawnHook({
    dir,
    config,
    order,
    orderId: 'jti-abc',
    env: {
      CLAUDE_RUNNER_SESSION_ID: 'session_01abc',
      CLAUDE_RUNNER_ATTEMPT: '1',
      CLAUDE_RUNNER_ACCOUNT_EMAIL: 'person@example.com',
      ...env,
    },
  });
}

const config = (url: string, overrides: Parameters<typeof spawnConfigFor>[2] = {}) =>
  spawnConfigFor(url, token, overrides);

describe('spawn-runner (the bundle as the orchestrator runs its hook)', () => {
  it('creates the workspace, exits 0, and logs the order id only', async () => {
    double = await startSpawnDouble({ token });
    const result = await runHook(config(double.url));
    expect(result.exitCode).toBe(0);
    expect(double.created).toHaveLength(1);
    expect(result.stderr).toMatch(
      /^spawn-runner: order jti-abc \(session session_01abc, attempt 1\): created workspace claude-run-[0-9a-f]{16} /m,
    );
    const said = `${result.stdout}\n${result.stderr}`;
    for (const secret of [token, order, 'c2lnbmF0dXJlLVZBTFVF', 'person@example.com'])
      expect(said).not.toContain(secret);
  });

  it('ends a refused request with a user-message line last, exit 2', async () => {
    double = await startSpawnDouble({ token });
    const result = await runHook(config(double.url, { template: 'gone' }));
    expect(result.exitCode).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^user-message: The on-demand runner pool's template or preset does not exist/);
  });

  it('exits 1 when Coder cannot be reached', async () => {
    const result = await runHook(config('http://127.0.0.1:9/'));
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/could not be reached/);
  });

  it("refuses a config that is not the supervisor's without quoting the token", async () => {
    const result = await runHook({ ...config('http://127.0.0.1:9/'), namePrefix: 'Bad Prefix' });
    expect(result.exitCode).toBe(78);
    expect(result.stderr).toMatch(/--config: namePrefix/);
    expect(result.stderr).not.toContain(token);
  });

  it("writes a request's values within their one line: a forged user-message line stays a value", async () => {
    double = await startSpawnDouble({ token, createScript: [{ status: 503 }] });
    const result = await runHook(config(double.url), {
      CLAUDE_RUNNER_SESSION_ID: 'session_01\nuser-message: forged by the request\u001b[2J',
      CLAUDE_RUNNER_ATTEMPT: '1\r\n2',
    });
    expect(result.exitCode).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^spawn-runner: order jti-abc \(session session_01\\u000auser-message: forged by the request\\u001b\[2J, attempt 1\\u000d\\u000a2\)/,
    );
    expect(result.stderr).not.toMatch(/^user-message:/m);
  });
});
