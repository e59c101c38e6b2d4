// The guard itself: what every other test in tests/runner relies on to keep packets on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closedLoopbackUrl,
  guardEnvironment,
  guardRunnerArgs,
  ipBinary,
  LoopbackNamespace,
  realClaudeBinary,
} from '../helpers/network-guard.js';

describe('the network guard', () => {
  let ns: LoopbackNamespace;
  beforeAll(async () => {
    ns = await LoopbackNamespace.create();
  });
  afterAll(() => ns?.close());

  it('runs things in a namespace whose only interface is lo, with no route off the machine', async () => {
    const links = await ns.run(ipBinary as string, ['-o', 'link', 'show']);
    expect(String(links.stdout).trim().split('\n')).toHaveLength(1);
    expect(String(links.stdout)).toMatch(/^1: lo: <LOOPBACK,UP,LOWER_UP>/);
    const routes = await ns.run(ipBinary as string, ['route', 'show']);
    expect(String(routes.stdout).trim()).toBe('');
  });

  it('points proxies and API base URLs at a closed loopback port and turns off nonessential traffic', () => {
    const env = guardEnvironment('/nonexistent-home');
    for (const key of ['HTTPS_PROXY', 'HTTP_PROXY', 'https_proxy', 'http_proxy', 'ANTHROPIC_BASE_URL']) {
      expect(env[key], key).toBe(closedLoopbackUrl);
    }
    expect(env).toMatchObject({
      NO_PROXY: '127.0.0.1,localhost',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_AUTOUPDATER: '1',
      HOME: '/nonexistent-home',
    });
  });

  it('adds --api-url to the runner, and refuses one that is not loopback', () => {
    expect(guardRunnerArgs(['self-hosted-runner', '--capacity', '1'])).toEqual([
      'self-hosted-runner',
      '--capacity',
      '1',
      '--api-url',
      closedLoopbackUrl,
    ]);
    expect(guardRunnerArgs(['self-hosted-runner', '--api-url', 'http://127.0.0.1:18990'])).toContain(
      'http://127.0.0.1:18990',
    );
    expect(() => guardRunnerArgs(['self-hosted-runner', '--api-url', 'https://api.anthropic.com'])).toThrow(
      /must be a loopback URL/,
    );
    expect(guardRunnerArgs(['--version'])).toEqual(['--version']);
  });

  it('finds the real binary that npm run setup installs', () => {
    expect(realClaudeBinary()).toMatch(/claude-code-linux-x64\/claude$/);
  });
});
