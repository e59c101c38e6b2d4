import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readItem, readStatusFile, runBundle, standInEvents, waitFor, type Sandbox } from '../../helpers/sandbox.js';
import { sandboxPerTest } from '../../helpers/sandbox-per-test.js';
import { flagWords } from '../../helpers/flags.js';

/**
 * On-demand mode with the real bundle and the stand-in runner: a prebuild waits for its work
 * order and holds no credential; the claim's start brings the order, replaces the waiting
 * supervisor, and the runner registers with the order in the place of the environment secret,
 * serves its one session and the workspace self-evicts; a refused order ends the workspace at
 * once; an order that never comes, too.
 */
const sandboxes = sandboxPerTest();
const order = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ jti: 'jti-1', 'ccr:role': 'pool_spawn' })).toString('base64url')}.c2lnLVZBTFVF`;
const onDemand = (extra: Record<string, string | number> = {}) =>
  flagWords({ runnerMode: 'on-demand', orderWaitMin: 0, ...extra });
/** The environment of an on-demand runner workspace: no environment secret, maybe an order. */
const workspaceEnv = (sb: Sandbox, workOrder: string): Record<string, string> => ({
  ...sb.env,
  CLAUDE_POOL_SECRET: '',
  CLAUDE_WORK_ORDER: workOrder,
});

async function startWith(sb: Sandbox, workOrder: string, extra: Record<string, string | number> = {}) {
  const result = await runBundle(sb, ['start', ...sb.flags, ...onDemand(extra)], workspaceEnv(sb, workOrder));
  expect(result.exitCode, result.stderr).toBe(0);
  return result;
}

describe('on-demand mode', () => {
  it('a prebuild waits for a session with no credential at all; the claim brings the order, which the runner registers with, once', async () => {
    const sb = await sandboxes.make({ scenarios: 'session-then-drain', extraEnv: { STANDIN_SESSION_AFTER_MS: '800' } });
    await startWith(sb, '');
    await waitFor('the prebuild to wait', () => readStatusFile(sb)?.state === 'waiting-for-order');
    expect(readItem(sb, '4_supervisor_state')).toBe('waiting for a session: a prebuild with no work order yet');
    expect(readItem(sb, '0_lock_status')).toBe('unlocked');
    expect(standInEvents(sb).filter((e) => e.event === 'start')).toHaveLength(0);
    expect(fs.existsSync(path.join(sb.stateDir, 'environment-secret'))).toBe(false);

    // The claim: the agent runs the start script again, now with the work order.
    const claim = await startWith(sb, order);
    expect(claim.stdout).toMatch(/waited for a work order .* stopped; starting with the order/);
    await waitFor('the runner to start', () => standInEvents(sb).some((e) => e.event === 'start'));
    const started = standInEvents(sb).find((e) => e.event === 'start');
    const argv = started?.argv as string[];
    expect(argv[argv.indexOf('--capacity') + 1]).toBe('1');
    const secretFile = argv[argv.indexOf('--environment-secret-file') + 1] as string;
    expect(fs.readFileSync(secretFile, 'utf8').trim()).toBe(order);
    await waitFor('eviction after its one session', () => readStatusFile(sb)?.state === 'evicted');
    expect(readStatusFile(sb)?.locked).toBe(true);
    expect(sb.api.deleteBuilds).toBe(1);
    expect(standInEvents(sb).filter((e) => e.event === 'start')).toHaveLength(1);
  });

  it('a refused work order is never restarted nor quarantined: the workspace self-evicts at once, with the runner line', async () => {
    const sb = await sandboxes.make({ scenarios: 'order-refused', extraEnv: { STANDIN_ORDER_REFUSAL: 'superseded' } });
    await startWith(sb, order);
    await waitFor('eviction', () => readStatusFile(sb)?.state === 'evicted');
    expect(readItem(sb, '6_last_error')).toMatch(/RegisterRunner refused because this work order has been superseded/);
    expect(standInEvents(sb).filter((e) => e.event === 'start')).toHaveLength(1);
    expect(sb.api.deleteBuilds).toBe(1);
  });

  it('a workspace whose work order never comes self-evicts after the bound', async () => {
    const sb = await sandboxes.make({});
    await startWith(sb, '', { orderWaitMin: 0.02 });
    await waitFor('eviction of the orphan', () => readStatusFile(sb)?.state === 'evicted', 15_000);
    expect(readStatusFile(sb)?.eviction?.outcome).toBe('succeeded');
    expect(standInEvents(sb).filter((e) => e.event === 'start')).toHaveLength(0);
  });

  it('a start after the order was used (the workspace restarted) self-evicts without a runner', async () => {
    const sb = await sandboxes.make({ scenarios: 'idle' });
    await startWith(sb, order);
    await waitFor('the runner', () => readStatusFile(sb)?.state === 'running');
    const stop = await runBundle(sb, ['stop', '--state-dir', sb.stateDir]);
    expect(stop.exitCode, stop.stderr).toBe(0);
    await waitFor('stopped', () => readStatusFile(sb)?.state === 'stopped');
    // The next start build has the ephemeral parameter empty.
    await startWith(sb, '');
    await waitFor('eviction', () => readStatusFile(sb)?.state === 'evicted');
    expect(standInEvents(sb).filter((e) => e.event === 'start')).toHaveLength(1);
  });

  it('refuses an environment secret in on-demand mode, and a work order in pool mode, without quoting either', async () => {
    const sb = await sandboxes.make({});
    const withSecret = await runBundle(sb, ['start', ...sb.flags, ...onDemand()], {
      ...sb.env,
      CLAUDE_WORK_ORDER: order,
    });
    expect(withSecret.exitCode).toBe(78);
    expect(withSecret.stderr).toMatch(/CLAUDE_POOL_SECRET: must be empty when --mode is on-demand/);
    const withOrder = await runBundle(sb, ['start', ...sb.flags], { ...sb.env, CLAUDE_WORK_ORDER: order });
    expect(withOrder.exitCode).toBe(78);
    expect(withOrder.stderr).toMatch(/CLAUDE_WORK_ORDER: must be empty when --mode is pool/);
    for (const said of [withSecret.stderr, withOrder.stderr]) {
      expect(said).not.toContain(sb.env.CLAUDE_POOL_SECRET);
      expect(said).not.toContain('c2lnLVZBTFVF');
    }
  });
});
