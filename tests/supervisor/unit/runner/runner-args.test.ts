import { describe, expect, it } from 'vitest';
import { buildRunnerArgs, runnerEnvironment } from '../../../../supervisor/src/runner/runner-args.js';

describe('runner arguments', () => {
  it('passes the secret only as a path, and the documented flags', () => {
    const args = buildRunnerArgs({
      secretFlag: '--environment-secret-file',
      secretFile: '/s/secret',
      capacity: 3,
      wrapper: '/s/w.sh',
      healthPort: 8123,
      baseDir: '/b',
      retireAtEpochSec: 1_900_000_000,
    });
    expect(args).toEqual([
      'self-hosted-runner',
      '--environment-secret-file',
      '/s/secret',
      '--capacity',
      '3',
      '--exec-path',
      '/s/w.sh',
      '--health-port',
      '8123',
      '--base-dir',
      '/b',
      '--retire-at',
      '1900000000',
    ]);
  });

  it('strips the pool secret and the eviction token from the runner environment', () => {
    expect(
      runnerEnvironment({ CLAUDE_POOL_SECRET: 'a', CODER_SELF_TOKEN: 'b', GIT_BOT_TOKEN: 'c', PATH: '/bin' }),
    ).toEqual({
      GIT_BOT_TOKEN: 'c',
      PATH: '/bin',
    });
  });
});
