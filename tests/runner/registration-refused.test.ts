// The fatal lines for a refused registration and for a poll token that expired, measured against
// the Anthropic API double (the paths and answers that the real API gives for these cases).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoopbackNamespace, follow, startApiDouble, withoutPrefix, writeSecret } from '../helpers/real-runner.js';

describe('the real runner when the API refuses it', () => {
  let ns: LoopbackNamespace;
  let port = 18990;
  beforeAll(async () => {
    ns = await LoopbackNamespace.create();
  });
  afterAll(() => ns?.close());

  async function run(mode: 'bad-secret' | 'not-enabled' | 'token-expired') {
    port += 1;
    const api = await startApiDouble(ns, port, mode);
    const secretFile = writeSecret(ns.dir);
    try {
      const runner = follow(
        ns.runClaude([
          'self-hosted-runner',
          '--environment-secret-file',
          secretFile,
          '--base-dir',
          path.join(ns.dir, `base-${mode}`),
          '--health-port',
          '0',
          '--api-url',
          api.url,
        ]),
      );
      const outcome = await runner.done;
      return { outcome, secretFile, lines: runner.lines, texts: runner.lines.map((l) => withoutPrefix(l.text)) };
    } finally {
      await api.stop();
    }
  }

  it('a secret refused at registration (401): the auth-failed fatal line and exit 1', async () => {
    const { outcome, texts, lines, secretFile } = await run('bad-secret');
    expect(outcome.exitCode).toBe(1);
    expect(lines.at(-1)?.stream).toBe('stdout');
    expect(texts.at(-1)).toBe(
      `[runner:fatal] RegisterRunner auth failed — the server did not accept this runner's credential (HTTP 401). It was read from the file ${secretFile}. The runner cannot tell what is wrong with it. Check that --api-url is right. If a proxy puts the credential on the request, check the one the proxy holds and leave this one as it is. Otherwise, to get an environment secret, open claude.ai/admin-settings/cloud-environments. Under Self-hosted environments, choose New for a new environment, or Issue new key on an existing one's Configuration tab. That page calls the secret an environment key, which is not the same thing as a Claude Console environment key. Put only that value in the file passed to --environment-secret-file, or, with no such flag, in SELF_HOSTED_RUNNER_ENVIRONMENT_SECRET. A runner that a spawn-runner hook starts needs the whole work order from the hook instead, never the environment secret. (RegisterRunner: Authentication failed (401): invalid x-api-key. Check your credentials.)`,
    );
    // No retry: an auth failure is final at once.
    expect(texts.some((text) => text.includes('transient failure'))).toBe(false);
  });

  it('an organization without self-hosted environments (403): the not-enabled fatal line and exit 1', async () => {
    const { outcome, texts } = await run('not-enabled');
    expect(outcome.exitCode).toBe(1);
    expect(texts.at(-1)).toBe(
      "[runner:fatal] RegisterRunner refused because self-hosted environments are not enabled for this organization. Usually the 'Allow self-hosted environments' setting on the Cloud environments admin page (claude.ai/admin-settings/cloud-environments) is off, and an organization Owner can turn it on. Self-hosted environments also need a Team or Enterprise plan, and the setting usually applies within a few minutes. If this message still appears after that, contact your Anthropic account team. The environment secret was accepted, so do not rotate it. (RegisterRunner: Access denied (403): Self-hosted runners are not enabled. The organization is not enabled for self-hosted environments.)",
    );
  });

  it('a poll token that expired: the poll-auth fatal line, a deregistration, and exit 0', async () => {
    const { outcome, texts } = await run('token-expired');
    expect(outcome.exitCode).toBe(0);
    expect(texts.slice(-2)).toEqual([
      '[runner:fatal] poll auth failed — token expired or revoked. Draining and exiting for clean restart.',
      '[runner:exit] Deregistered',
    ]);
  });
});
