import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { allFileText, readStatusFile, runBundle, secrets, standInEvents, waitFor } from '../../helpers/sandbox.js';
import { sandboxPerTest } from '../../helpers/sandbox-per-test.js';

const sandboxes = sandboxPerTest();

function cmdlinesOf(pids: number[]): string {
  return pids
    .map((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      } catch {
        return '';
      }
    })
    .join('\n');
}

describe('secrets', () => {
  it('never appear in logs, state files, dashboard items or any process argv; sessions do not inherit them', async () => {
    const sb = await sandboxes.make({
      scenarios: 'session-then-drain',
      gitToken: true,
      extraEnv: { STANDIN_SESSION_AFTER_MS: '1500' },
    });
    // A failing first eviction attempt puts an API error through the logs too.
    sb.api.script.push({ status: 503, body: { message: 'upstream down' } });
    expect((await runBundle(sb, ['start', ...sb.flags])).exitCode).toBe(0);
    await waitFor('runner up', () => readStatusFile(sb)?.programPid);
    const status = readStatusFile(sb);
    const argv = cmdlinesOf([status?.supervisorPid ?? 0, status?.programPid ?? 0]);
    expect(argv).toContain('self-hosted-runner');
    await waitFor('eviction', () => readStatusFile(sb)?.state === 'evicted');

    const secretFile = path.join(sb.stateDir, 'environment-secret');
    expect(fs.statSync(secretFile).mode & 0o777).toBe(0o400);
    expect(fs.readFileSync(secretFile, 'utf8')).toBe(secrets.pool);
    // Nothing of ours lies under the runner's host-config dir, which it seeds into every session.
    expect(fs.existsSync(path.join(sb.home, '.claude'))).toBe(false);
    expect(fs.statSync(sb.stateDir).mode & 0o777).toBe(0o700);

    const everything = allFileText(sb.dir).replace(fs.readFileSync(secretFile, 'utf8'), '') + argv;
    for (const value of [secrets.pool, secrets.token, secrets.git]) {
      // Only the 0400 secret file may hold the pool secret; nothing else may hold any secret.
      const occurrences = allFileText(sb.dir).split(value).length - 1;
      expect(occurrences, value).toBe(value === secrets.pool ? 1 : 0);
    }
    expect(everything).not.toContain(secrets.pool);
    expect(everything).toContain('self-evicting');

    const runnerStart = standInEvents(sb).find((e) => e.event === 'start');
    expect(runnerStart?.secretInEnv).toBe(false);
    expect(runnerStart?.envKeys).not.toContain('CLAUDE_POOL_SECRET');
    expect(runnerStart?.envKeys).not.toContain('CODER_SELF_TOKEN');
    expect(runnerStart?.envKeys).toContain('GIT_BOT_TOKEN');
    expect(runnerStart?.argv).toContain('--environment-secret-file');
  });

  it('git askpass prints the bot token from the environment and is wired into git', async () => {
    const sb = await sandboxes.make({ scenarios: 'idle', gitToken: true });
    expect((await runBundle(sb, ['start', ...sb.flags])).exitCode).toBe(0);
    const askpass = path.join(sb.stateDir, 'git-askpass.sh');
    expect(fs.statSync(askpass).mode & 0o777).toBe(0o500);
    expect(fs.readFileSync(askpass, 'utf8')).not.toContain(secrets.git);
    const printed = await execa(askpass, [], { env: { GIT_BOT_TOKEN: secrets.git } });
    expect(printed.stdout).toBe(secrets.git);
    const config = await execa('git', ['config', '--global', 'core.askPass'], {
      env: { GIT_CONFIG_GLOBAL: sb.env.GIT_CONFIG_GLOBAL ?? '' },
    });
    expect(config.stdout).toBe(askpass);
  });

  it('a configuration error names every problem and never echoes a secret', async () => {
    const sandbox = await sandboxes.make();
    const result = await runBundle(sandbox, ['start', ...sandbox.flags, '--health-port', '0'], {
      CLAUDE_CAPACITY: '99',
      CODER_WORKSPACE_ID: 'not-a-uuid',
      CLAUDE_POOL_SECRET: `${secrets.pool}\nsecond line`,
    });
    expect(result.exitCode).toBe(78);
    expect(result.stderr).toContain('CLAUDE_CAPACITY: expected a whole number from 1 to 16, got "99"');
    expect(result.stderr).toContain('CODER_WORKSPACE_ID');
    expect(result.stderr).toContain('--health-port');
    expect(result.stderr).toContain('CLAUDE_POOL_SECRET: must be a single line');
    expect(result.stderr + result.stdout).not.toContain(secrets.pool);
    expect(fs.existsSync(sandbox.stateDir)).toBe(false);
  });
});
