import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspaceId, readItem, readStatusFile, runBundle, standInEvents, waitFor } from '../../helpers/sandbox.js';
import { sandboxPerTest } from '../../helpers/sandbox-per-test.js';

const sandboxes = sandboxPerTest();

describe('lifecycle with the real bundle', () => {
  it('serves one session, drains, and self-evicts with exactly one delete build', async () => {
    const sb = await sandboxes.make({
      scenarios: 'session-then-drain',
      extraEnv: { STANDIN_SESSION_AFTER_MS: '1500' },
    });
    const started = Date.now();
    const start = await runBundle(sb, ['start', ...sb.flags]);
    expect(start.exitCode, start.stderr).toBe(0);
    expect(start.stdout).toMatch(/supervisor started \(pid \d+\)/);
    expect(Date.now() - started).toBeLessThan(5000);

    await waitFor(
      'idle dashboard',
      () => readItem(sb, '1_active_sessions') === '0 / 4' && readItem(sb, '0_lock_status') === 'unlocked',
    );
    expect(readItem(sb, '2_runner_id')).toMatch(/^ccrunner_/);
    await waitFor('a session to lock the workspace', () => readItem(sb, '0_lock_status') === 'locked');
    await waitFor('eviction', () => readStatusFile(sb)?.state === 'evicted');

    const status = readStatusFile(sb);
    expect(status?.eviction?.outcome).toBe('succeeded');
    expect(sb.api.deleteBuilds).toBe(1);
    const posts = sb.api.evictionRequests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.path).toBe(`/api/v2/workspaces/${workspaceId}/builds`);
    expect(posts[0]?.token).toBe(sb.env.CODER_SELF_TOKEN);
    expect(JSON.parse(posts[0]?.body ?? '{}')).toEqual({ transition: 'delete' });
    expect(fs.existsSync(path.join(sb.stateDir, 'locked'))).toBe(true);
    const session = standInEvents(sb).find((e) => e.event === 'session-end');
    expect(session?.code).toBe(0);
    expect(session?.activity).toBe('activity');
  });

  it("writes nothing under the runner's host-config dir (~/.claude), which the runner seeds into every session", async () => {
    const sb = await sandboxes.make({ scenarios: 'session-then-drain', gitToken: true });
    expect((await runBundle(sb, ['start', ...sb.flags])).exitCode).toBe(0);
    await waitFor('eviction', () => readStatusFile(sb)?.state === 'evicted');
    const hostConfigDir = path.join(sb.home, '.claude');
    const inside = fs.existsSync(hostConfigDir) ? fs.readdirSync(hostConfigDir, { recursive: true }) : [];
    expect(inside).toEqual([]);
    expect(sb.stateDir.startsWith(hostConfigDir)).toBe(false);
    expect(fs.existsSync(path.join(sb.stateDir, 'environment-secret'))).toBe(true);
  });
});
