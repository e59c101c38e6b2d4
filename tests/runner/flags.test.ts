// (b) Every flag that we pass is in the real runner's --help, so a renamed flag fails here.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoopbackNamespace, pinnedClaudeCodeVersion, repoRoot } from '../helpers/network-guard.js';
import { runnerFlagsWePass } from '../helpers/flags-we-pass.js';
import { follow, writeSecret } from '../helpers/real-runner.js';

/** Flags that the help defines (an option line) and the deprecated aliases that it names. */
function parseHelpFlags(help: string): { defined: Set<string>; deprecatedAliases: Set<string> } {
  const defined = new Set<string>();
  for (const match of help.matchAll(/^ {2}(--[a-z0-9][a-z0-9-]*)(?:, (-[a-z]))?/gm)) {
    defined.add(match[1] as string);
    if (match[2]) defined.add(match[2]);
  }
  const deprecatedAliases = new Set<string>();
  for (const match of help.matchAll(/\((--[a-z0-9][a-z0-9-]*)[^)]*?deprecated alias/g)) {
    deprecatedAliases.add(match[1] as string);
  }
  return { defined, deprecatedAliases };
}

const savedHelp = path.join(repoRoot, 'tests', 'fixtures', `real-runner-help-${pinnedClaudeCodeVersion}.txt`);

describe('the real self-hosted-runner --help', () => {
  let ns: LoopbackNamespace;
  let help: string;

  beforeAll(async () => {
    ns = await LoopbackNamespace.create();
    const result = await ns.runClaude(['self-hosted-runner', '--help'], { timeoutMs: 60_000 });
    expect(result.exitCode).toBe(0);
    expect(String(result.stderr)).toBe('');
    help = String(result.stdout);
  });
  afterAll(() => ns?.close());

  it('is the help saved in tests/fixtures for the pinned version', () => {
    expect(help).toBe(fs.readFileSync(savedHelp, 'utf8'));
  });

  it('defines every flag that we pass', () => {
    const { defined, deprecatedAliases } = parseHelpFlags(help);
    expect(defined.size).toBeGreaterThan(30);
    expect(defined.has('--no-such-flag')).toBe(false);
    const missing = runnerFlagsWePass.filter((flag) => !defined.has(flag) && !deprecatedAliases.has(flag));
    expect(missing).toEqual([]);
  });

  it('names --pool-secret-file only as a deprecated alias, which the binary still accepts', async () => {
    const { defined, deprecatedAliases } = parseHelpFlags(help);
    expect(defined.has('--pool-secret-file')).toBe(false);
    expect(deprecatedAliases.has('--pool-secret-file')).toBe(true);
    const runner = follow(
      ns.runClaude([
        'self-hosted-runner',
        '--pool-secret-file',
        writeSecret(ns.dir),
        '--base-dir',
        path.join(ns.dir, 'base-pool'),
        '--health-port',
        '0',
      ]),
    );
    const warning = await runner.waitForLine(/pool-secret-file/);
    expect(warning).toMatchObject({
      stream: 'stderr',
      text: '[runner:warn] --pool-secret-file is deprecated; use --environment-secret-file',
    });
    // It goes on to register (offline: the first attempt fails); stop it there.
    await runner.waitForLine(/RegisterRunner attempt 1 transient failure/);
    runner.kill('SIGTERM');
    expect((await runner.done).signal).toBe('SIGTERM');
  });

  it('rejects a flag it does not know: exit 2 with an error: line', async () => {
    const result = await ns.runClaude(['self-hosted-runner', '--no-such-flag', 'x'], { timeoutMs: 60_000 });
    expect(result.exitCode).toBe(2);
    expect(String(result.stdout)).toBe('');
    expect(String(result.stderr)).toBe(
      "error: unknown flag --no-such-flag\nRun 'claude self-hosted-runner --help' for usage.\n",
    );
  });
});
