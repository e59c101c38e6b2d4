import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readItem, runBundle } from '../helpers/sandbox.js';
import { sandboxPerTest } from '../helpers/sandbox-per-test.js';

/**
 * Inputs that may hold a credential are never quoted back, whether they parse or not: an agent
 * URL with a user and password that is not a valid URL must not land in the launcher's error
 * (which the Coder agent shows in the workspace's logs) nor on the dashboard. And every flag of
 * extra_runner_args that the supervisor owns is listed, not only the first.
 */
const sandboxes = sandboxPerTest();

/** A sandbox with its state dir made, as the launcher makes it before `start`. */
async function launched(): ReturnType<typeof sandboxes.make> {
  const sb = await sandboxes.make();
  fs.mkdirSync(sb.stateDir, { recursive: true, mode: 0o700 });
  return sb;
}
const password = 'SECRETPW-9f8e7d';

describe('inputs that may hold a credential', () => {
  for (const [what, url] of [
    ['does not parse (a space in the host)', `https://u:${password}@coder example.com/`],
    ['does not parse (a bad port)', `https://u:${password}@coder.example.com:99999/`],
    ['parses, with a password', `https://u:${password}@coder.example.com/`],
  ]) {
    it(`CODER_AGENT_URL that ${what}: exit 78, the value nowhere in the output or on the dashboard`, async () => {
      const sb = await launched();
      const result = await runBundle(sb, ['start', ...sb.flags], { CODER_AGENT_URL: url as string });
      expect(result.exitCode).toBe(78);
      expect(result.stderr).toMatch(/CODER_AGENT_URL/);
      expect(`${result.stdout}${result.stderr}`).not.toContain(password);
      expect(`${result.stdout}${result.stderr}`).not.toContain('coder example');
      const item = readItem(sb, '4_supervisor_state') ?? '';
      expect(item).toMatch(/CODER_AGENT_URL/);
      expect(item).not.toContain(password);
    });
  }

  it('several owned flags in extra_runner_args: every one is listed', async () => {
    const sb = await launched();
    // As the launcher passes them: one `--extra-runner-arg=<word>` per word.
    const words = ['--capacity=3', '--use-anthropic-git-proxy', '--log-file', '/tmp/x.log', '--base-dir=/srv'];
    const result = await runBundle(sb, ['start', ...sb.flags, ...words.map((w) => `--extra-runner-arg=${w}`)]);
    expect(result.exitCode).toBe(78);
    for (const flag of ['--capacity', '--log-file', '--base-dir']) expect(result.stderr).toContain(flag);
    expect(result.stderr).not.toContain('--use-anthropic-git-proxy');
    expect(readItem(sb, '4_supervisor_state')).toMatch(/--capacity.*--log-file.*--base-dir/);
  });
});
