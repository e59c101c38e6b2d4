import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadRunnerConfig, loadStateConfig } from '../../../../supervisor/src/config/config.js';
import { ConfigError, UsageError } from '../../../../supervisor/src/shared/errors.js';

const env = {
  HOME: '/home/coder',
  CLAUDE_POOL_SECRET: 'pool-secret-x',
  CODER_SELF_TOKEN: 'token-x',
  CODER_WORKSPACE_ID: '6F1E2D3C-4B5A-4978-8695-A4B3C2D1E0F9',
  CODER_AGENT_URL: 'https://coder.example.com/',
};

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadRunnerConfig', () => {
  it('applies the documented defaults', () => {
    const { config, detached } = loadRunnerConfig([], env);
    expect(detached).toBe(false);
    expect(config).toMatchObject({
      capacity: 4,
      workspaceId: '6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9',
      runnerBinary: '/usr/local/bin/claude',
      claudeBinary: '/opt/claude/claude',
      stateDir: '/home/coder/.local/state/claude-self-hosted-runner',
      logDir: '/home/coder/.local/state/claude-self-hosted-runner/logs',
      baseDir: '/home/coder/workspace',
      permissionMode: 'bypassPermissions',
      healthPort: 8080,
      healthIntervalMs: 10_000,
      restart: { initialDelayMs: 5000, maxDelayMs: 300_000, shortRunMs: 60_000, crashLoopThreshold: 5 },
      quarantineMs: 3_600_000,
      maxLifetimeMs: 0,
      stopBudgetMs: 180_000,
      gitBotToken: undefined,
    });
  });

  it('takes flags and the optional git token', () => {
    const { config } = loadRunnerConfig(
      ['--capacity-is-not-a-flag']
        .slice(1)
        .concat(['--health-port', '9000', '--permission-mode', 'auto', '--quarantine-min', '0.5', '--detached']),
      { ...env, GIT_BOT_TOKEN: ' git ', CLAUDE_CAPACITY: '16' },
    );
    expect(config.healthPort).toBe(9000);
    expect(config.permissionMode).toBe('auto');
    expect(config.quarantineMs).toBe(30_000);
    expect(config.capacity).toBe(16);
    expect(config.gitBotToken).toBe('git');
  });

  it('reports every problem at once, by name, with what was expected', () => {
    const problems = problemsOf(() =>
      loadRunnerConfig(['--health-port', '70000', '--state-dir', 'relative', '--permission-mode', 'yolo'], {
        CLAUDE_CAPACITY: '0',
        CODER_WORKSPACE_ID: 'nope',
        CODER_AGENT_URL: 'ftp://x',
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^CLAUDE_POOL_SECRET: is required/),
        expect.stringMatching(/^CODER_SELF_TOKEN: is required/),
        'CLAUDE_CAPACITY: expected a whole number from 1 to 16, got "0"',
        expect.stringMatching(/^CODER_WORKSPACE_ID: expected the workspace UUID .* got "nope"$/),
        expect.stringMatching(/^CODER_AGENT_URL: expected the Coder deployment's http\(s\) URL .* got "ftp:\/\/x"$/),
        '--health-port: expected a whole number from 1 to 65535, got "70000"',
        '--state-dir: expected an absolute path, got "relative"',
        expect.stringMatching(/^--permission-mode: expected one of bypassPermissions, .* got "yolo"$/),
        expect.stringMatching(/^--base-dir: is required: HOME is not set/),
      ]),
    );
  });

  it('rejects a restart delay above its cap', () => {
    expect(problemsOf(() => loadRunnerConfig(['--restart-initial-sec', '10', '--restart-max-sec', '5'], env))).toEqual([
      '--restart-initial-sec: expected at most --restart-max-sec (5), got 10',
    ]);
  });

  it('rejects unknown flags as usage errors', () => {
    expect(() => loadRunnerConfig(['--no-such-flag'], env)).toThrow(UsageError);
  });

  it('never echoes a secret, whatever it holds', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), fc.string(), (pool, token, capacity) => {
        // A marker makes each secret recognisable, whatever random text follows it.
        const poolSecret = `POOLSECRET${pool}`;
        const tokenSecret = `TOKENSECRET${token}`;
        const secretEnv = {
          ...env,
          CLAUDE_POOL_SECRET: `${poolSecret}\n${pool}`,
          CODER_SELF_TOKEN: `${tokenSecret}\0`,
          CLAUDE_CAPACITY: capacity,
        };
        try {
          loadRunnerConfig([], secretEnv);
          throw new Error('a secret with a newline or NUL must be rejected');
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          const message = (error as Error).message;
          expect(message).not.toContain('POOLSECRET');
          expect(message).not.toContain('TOKENSECRET');
        }
      }),
    );
  });

  it('parses any capacity string into a whole number from 1 to 16 or a named problem', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.integer().map(String), fc.double().map(String)), (capacity) => {
        try {
          const { config } = loadRunnerConfig([], { ...env, CLAUDE_CAPACITY: capacity });
          expect(Number.isInteger(config.capacity)).toBe(true);
          expect(config.capacity).toBeGreaterThanOrEqual(1);
          expect(config.capacity).toBeLessThanOrEqual(16);
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          expect((error as ConfigError).problems[0]).toMatch(/^CLAUDE_CAPACITY: /);
        }
      }),
    );
  });
});

describe('loadStateConfig', () => {
  it('needs only the state flags and no secret', () => {
    expect(loadStateConfig(['--drain-timeout-sec', '100'], { HOME: '/h' })).toEqual({
      stateDir: '/h/.local/state/claude-self-hosted-runner',
      logDir: '/h/.local/state/claude-self-hosted-runner/logs',
      stopBudgetMs: 100_000,
      drainWaitSec: 0,
    });
  });

  it('asks for --state-dir when neither XDG_STATE_HOME nor HOME is set', () => {
    expect(problemsOf(() => loadStateConfig([], {}))).toEqual([
      '--state-dir: is required: neither XDG_STATE_HOME nor HOME is set, so pass --state-dir',
    ]);
  });

  it('keeps its state under XDG_STATE_HOME when set, never under ~/.claude', () => {
    expect(loadStateConfig([], { HOME: '/h', XDG_STATE_HOME: '/xdg' }).stateDir).toBe('/xdg/claude-self-hosted-runner');
    expect(loadStateConfig([], { HOME: '/h', XDG_STATE_HOME: 'relative' }).stateDir).toBe(
      '/h/.local/state/claude-self-hosted-runner',
    );
  });
});

describe('inputs that could only fail later are refused at start', () => {
  it('a self-evict token with a control or non-ASCII character (it is an HTTP header), value not shown', () => {
    for (const token of ['tok\u0007en', 'tøken', 'to ken']) {
      const problems = problemsOf(() => loadRunnerConfig([], { ...env, CODER_SELF_TOKEN: token }));
      expect(problems).toEqual([
        expect.stringMatching(/^CODER_SELF_TOKEN: must be printable ASCII .* \(value not shown\)$/),
      ]);
      expect(problems.join('')).not.toContain(token);
    }
  });

  it('an agent URL with a user and password, without quoting the password back', () => {
    const problems = problemsOf(() =>
      loadRunnerConfig([], { ...env, CODER_AGENT_URL: 'https://user:PASSWORD@coder.example.com/' }),
    );
    expect(problems).toEqual([expect.stringMatching(/^CODER_AGENT_URL: expected .* without a user name or password/)]);
    expect(problems.join('')).not.toContain('PASSWORD');
  });

  it('a state dir under /proc (a recursive mkdir there never ends)', () => {
    expect(problemsOf(() => loadStateConfig(['--state-dir', '/proc/self'], { HOME: '/h' }))).toEqual([
      expect.stringMatching(/^--state-dir: expected a directory on a real file system/),
    ]);
  });
});
