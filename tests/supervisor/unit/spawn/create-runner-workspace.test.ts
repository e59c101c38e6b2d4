import { afterEach, describe, expect, it } from 'vitest';
import { createRunnerWorkspace, type SpawnTarget } from '../../../../supervisor/src/spawn/create-runner-workspace.js';
import type { HttpClient } from '../../../../supervisor/src/coder-api/http.js';
import { workspaceNameFor } from '../../../../supervisor/src/spawn/workspace-name.js';
import { startSpawnDouble, type SpawnDouble } from '../../../helpers/coder-spawn-double.js';
import { spawnConfigFor } from '../../../helpers/spawn-hook.js';

const order = 'eyJhbGciOiJIUzI1NiJ9.eyJqdGkiOiJvcmRlci0xIn0.c2ln';
const request = { order, orderId: 'order-1', sessionId: 'session_01', attempt: '1', reason: 'session' };
let double: SpawnDouble | undefined;
afterEach(async () => {
  await double?.close();
  double = undefined;
});

function targetFor(url: string, overrides: Partial<SpawnTarget> = {}): SpawnTarget {
  return spawnConfigFor(url, 'runner-owner-token', { deadlineMs: 10_000, ...overrides });
}

describe('the spawn-runner hook against Coder', () => {
  it('creates one workspace with the preset and the order as its parameter, named from the order id', async () => {
    double = await startSpawnDouble({ token: 'runner-owner-token' });
    const outcome = await createRunnerWorkspace(targetFor(double.url), request, { now: Date.now });
    expect(outcome).toMatchObject({ exit: 0, workspace: { name: workspaceNameFor('claude-run', 'order-1') } });
    expect(double.created).toHaveLength(1);
    expect(double.created[0]?.request).toEqual({
      name: workspaceNameFor('claude-run', 'order-1'),
      template_id: expect.any(String),
      template_version_preset_id: 'preset-0-on-demand',
      rich_parameter_values: [{ name: 'work_order', value: order }],
    });
    expect(outcome.detail).not.toContain(order);
  });

  it('is idempotent on the order id: the same request twice gives one workspace and exit 0 twice', async () => {
    double = await startSpawnDouble({ token: 'runner-owner-token' });
    const first = await createRunnerWorkspace(targetFor(double.url), request, { now: Date.now });
    const second = await createRunnerWorkspace(targetFor(double.url), request, { now: Date.now });
    expect([first.exit, second.exit]).toEqual([0, 0]);
    expect(second.detail).toMatch(/already exists for this order/);
    expect(double.created).toHaveLength(1);
  });

  it.each<[string, Partial<SpawnTarget>, number, RegExp]>([
    ['a refused token', { token: 'wrong' }, 2, /Coder token was refused/],
    ['a template that does not exist', { template: 'nope' }, 2, /template or preset does not exist/],
    ['a preset that does not exist', { preset: 'nope' }, 2, /template or preset does not exist/],
    // Coder itself would accept this create and drop the parameter (measured): the hook refuses first.
    [
      'an order parameter the template does not have',
      { orderParameter: 'nope' },
      2,
      /does not accept its workspace request/,
    ],
  ])('%s is non-retryable with a message for the user', async (_what, overrides, exit, message) => {
    double = await startSpawnDouble({ token: 'runner-owner-token' });
    const outcome = await createRunnerWorkspace(targetFor(double.url, overrides), request, { now: Date.now });
    expect(outcome.exit).toBe(exit);
    expect(outcome.userMessage).toMatch(message);
    expect(outcome.userMessage).not.toMatch(/runner-owner-token|wrong|api\/v2|127\.0\.0\.1/);
    expect(double.created).toHaveLength(0);
  });

  it.each<[string, { status: number; body?: unknown }, number]>([
    ['rate limited', { status: 429 }, 1],
    ['a server error', { status: 503 }, 1],
    [
      'a parameter the template does not take',
      { status: 400, body: { message: 'Parameter "work_order" is not present in the template.' } },
      2,
    ],
    ['forbidden', { status: 403, body: { message: 'Unauthorized access to use the template "claude-runner".' } }, 2],
    ['a 409 that is not the name', { status: 409, body: { message: 'A workspace build is already active.' } }, 1],
  ])('a create answered %s exits %i and never retries by itself', async (_what, answer, exit) => {
    double = await startSpawnDouble({ token: 'runner-owner-token', createScript: [answer] });
    const outcome = await createRunnerWorkspace(targetFor(double.url), request, { now: Date.now });
    expect(outcome.exit).toBe(exit);
    expect(double.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('an unreachable Coder is retryable (Anthropic asks again)', async () => {
    const http: HttpClient = {
      send: () => Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } })),
    };
    const outcome = await createRunnerWorkspace(targetFor('http://127.0.0.1:9/'), request, { now: Date.now, http });
    expect(outcome).toMatchObject({ exit: 1, detail: expect.stringMatching(/could not be reached \(ECONNREFUSED\)/) });
  });

  it('a success without a workspace in its body is retryable: nothing proves a workspace was made', async () => {
    double = await startSpawnDouble({ token: 'runner-owner-token', createScript: [{ status: 201, body: {} }] });
    const outcome = await createRunnerWorkspace(targetFor(double.url), request, { now: Date.now });
    expect(outcome).toMatchObject({ exit: 1, detail: expect.stringMatching(/201 without a workspace in its body/) });
    expect(outcome.workspace).toBeUndefined();
  });

  it("Coder's validation errors name the fields, never their values; the user reads that an administrator must fix the template", async () => {
    const body = {
      message: 'Unable to validate parameters',
      validations: [
        { field: 'rich_parameter_values[0].value', detail: `Parameter "work_order" rejects "${order}"` },
        { field: 'name', detail: 'bad' },
      ],
    };
    double = await startSpawnDouble({ token: 'runner-owner-token', createScript: [{ status: 400, body }] });
    const outcome = await createRunnerWorkspace(targetFor(double.url), request, { now: Date.now });
    expect(outcome.exit).toBe(2);
    expect(outcome.detail).toMatch(/Unable to validate parameters \(fields: rich_parameter_values\[0\]\.value, name\)/);
    expect(outcome.detail).not.toContain(order);
    expect(outcome.userMessage).toMatch(/An administrator of the runner pool has to fix/);
  });

  it('a value from Coder stays within its one line: control characters escaped, no line forged', async () => {
    const body = { message: 'bad\nuser-message: forged\r\u001b[2Jgone\u2028x' };
    double = await startSpawnDouble({ token: 'runner-owner-token', createScript: [{ status: 400, body }] });
    const outcome = await createRunnerWorkspace(targetFor(double.url), request, { now: Date.now });
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    expect(outcome.detail).not.toMatch(/[\n\r\u001b\u2028]/);
    expect(outcome.detail).toContain('bad\\u000auser-message: forged\\u000d\\u001b[2Jgone\\u2028x');
  });

  it('without a preset, a fresh build from the template', async () => {
    double = await startSpawnDouble({ token: 'runner-owner-token' });
    await createRunnerWorkspace(targetFor(double.url, { preset: undefined }), request, { now: Date.now });
    expect(double.created[0]?.request.template_version_preset_id).toBeUndefined();
  });
});

describe('workspace names', () => {
  it('are valid Coder names of at most 32 characters, the same for the same order, never alike for two', () => {
    const a = workspaceNameFor('claude-run', 'order-1');
    expect(a).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(a.length).toBeLessThanOrEqual(32);
    expect(workspaceNameFor('claude-run', 'order-1')).toBe(a);
    expect(workspaceNameFor('claude-run', 'order-2')).not.toBe(a);
  });
});
