import { describe, expect, it } from 'vitest';
import { readItem, readStatusFile, runBundle, standInEvents, waitFor } from '../../helpers/sandbox.js';
import { sandboxPerTest } from '../../helpers/sandbox-per-test.js';

/**
 * The self-evict token is checked before anyone is served: a workspace whose token could not
 * delete it never starts a runner (once locked, it could not evict itself and would hold its slot).
 * The API double refuses each missing part as a real Coder v2.36.0 does (tests/coder/token-matrix).
 */
const sandboxes = sandboxPerTest();

describe('the self-evict token checked at boot', () => {
  it.each([
    ['template', /scope template:read with allow_list template:\*/],
    ['owner', /scope user:read with allow_list user:3a4b5c6d-7e8f-4a0b-9c1d-2e3f4a5b6c7d/],
    ['delete', /scope workspace:delete with allow_list workspace:6f1e2d3c/],
  ] as const)('a token without its %s part: quarantined before a runner starts, with the fix', async (missing, fix) => {
    const sb = await sandboxes.make({ scenarios: 'idle', tokenMissing: missing });
    expect((await runBundle(sb, ['start', ...sb.flags, '--quarantine-min', '0'])).exitCode).toBe(0);
    await waitFor('quarantine', () => readStatusFile(sb)?.state === 'quarantined');
    const status = readStatusFile(sb) as { reason: string; tokenCheck?: string };
    expect(status.reason).toMatch(/^the self-evict token cannot delete this workspace, so it serves no one: /);
    expect(status.reason).toMatch(fix);
    expect(status.tokenCheck).toMatch(/^refused: /);
    expect(readItem(sb, '4_supervisor_state')).toMatch(
      /^quarantined: the self-evict token cannot delete this workspace/,
    );
    expect(standInEvents(sb).filter((e) => e.event === 'start')).toHaveLength(0);
    expect(sb.api.deleteBuilds).toBe(0);
  });

  it('a token that passes the check serves, and the check sent no delete', async () => {
    const sb = await sandboxes.make({ scenarios: 'idle' });
    expect((await runBundle(sb, ['start', ...sb.flags])).exitCode).toBe(0);
    await waitFor('waiting for a session', () =>
      readItem(sb, '4_supervisor_state')?.startsWith('waiting for a session'),
    );
    expect((readStatusFile(sb) as { tokenCheck?: string }).tokenCheck).toBe('ok');
    expect(sb.api.requests.filter((r) => r.path.endsWith('/builds'))).toHaveLength(0);
    expect(sb.api.requests.every((r) => r.token === sb.env.CODER_SELF_TOKEN)).toBe(true);
  });
});
