import { describe, expect, it } from 'vitest';
import { processStartTime } from '../../supervisor/src/shared/process-info.js';
import { readStatusFile, runBundle, standInEvents, waitFor } from '../helpers/sandbox.js';
import { sandboxPerTest } from '../helpers/sandbox-per-test.js';

/**
 * An unlocked workspace whose eviction was under way when its supervisor was killed (SIGKILL):
 * the next supervisor used to forget it and start a runner on a workspace already being deleted.
 */
const sandboxes = sandboxPerTest();

describe('a pending eviction and a killed supervisor', () => {
  it('the next start resumes the eviction: no runner, exactly one delete build', async () => {
    const sb = await sandboxes.make({ scenarios: 'exit-clean' });
    // The first delete never answers: the eviction is pending when the supervisor is killed.
    sb.api.script.push({ hang: true });
    expect((await runBundle(sb, ['start', ...sb.flags, '--eviction-request-timeout-sec', '60'])).exitCode).toBe(0);
    await waitFor(
      'a pending eviction',
      () => readStatusFile(sb)?.eviction?.outcome === 'pending' && sb.api.evictionRequests.length > 0,
    );
    const supervisorPid = readStatusFile(sb)?.supervisorPid ?? 0;
    process.kill(supervisorPid, 'SIGKILL');
    await waitFor('supervisor gone', () => processStartTime(supervisorPid) === undefined);
    const runnersBefore = standInEvents(sb).filter((e) => e.event === 'start').length;

    expect((await runBundle(sb, ['start', ...sb.flags])).exitCode).toBe(0);
    await waitFor('evicted', () => readStatusFile(sb)?.state === 'evicted');
    expect(standInEvents(sb).filter((e) => e.event === 'start')).toHaveLength(runnersBefore);
    expect(sb.api.deleteBuilds).toBe(1);
  });
});
