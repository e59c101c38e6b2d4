import { describe, expect, it } from 'vitest';
import { runnerEnvironment } from '../../../../../supervisor/src/roles/claude-environment.js';
import { buildRunnerArgs } from '../../../../../supervisor/src/roles/runner/runner-args.js';
import { noRunnerOptions } from '../../../../helpers/runner-options.js';

const noOptions = noRunnerOptions;

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
      drainWaitSec: 0,
      drainMarkerFile: '/s/drain-marker',
      options: noOptions,
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
      '--drain-marker-file',
      '/s/drain-marker',
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

  it('passes every runner option that is set, then the extra arguments as they are', () => {
    const args = buildRunnerArgs({
      secretFlag: '--environment-secret-file',
      secretFile: '/s/secret',
      capacity: 1,
      wrapper: '/s/w.sh',
      healthPort: 8080,
      baseDir: '/b',
      retireAtEpochSec: undefined,
      drainWaitSec: 30,
      drainMarkerFile: '/s/drain-marker',
      options: {
        clientLabel: 'alice/runner-7',
        releaseIdleSessionMin: 0,
        killSessionAfterMin: 240,
        exitIfUnusedMin: 30,
        hooksDir: '/opt/hooks',
        agentProxyUrl: 'https://proxy.example.com/',
        logLevel: 'debug',
        extraArgs: ['--drain-grace-sec', '0'],
      },
    });
    expect(args.slice(args.indexOf('--drain-marker-file'))).toEqual([
      '--drain-marker-file',
      '/s/drain-marker',
      '--drain-wait-sec',
      '30',
      '--client-label',
      'alice/runner-7',
      '--release-idle-session-min',
      '0',
      '--kill-session-after-min',
      '240',
      '--exit-if-unused-min',
      '30',
      '--hooks-dir',
      '/opt/hooks',
      '--agent-proxy-url',
      'https://proxy.example.com/',
      '--log-level',
      'debug',
      '--drain-grace-sec',
      '0',
    ]);
  });
});
