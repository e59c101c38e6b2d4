// The on-demand measurements on a real Coder server.
//
// Spawn requests one after another, each the whole way as the orchestrator and Anthropic play
// it: the Anthropic double mints a session's work order, the hook creates a workspace of the
// real server's `ondemand` template with it (tests/helpers/coder-server.ts: the module in
// on-demand mode, the pinned real runner), the agent gets ready, the runner registers with the
// order and takes the session; the same request again finds the workspace; the session closes,
// the runner drains and the workspace deletes itself.
//
// A burst at the orchestrator's hook concurrency, on a light template (no machine: 50 agents do
// not fit on a small host), under Coder's rate limit.
//
// Reads go through the owner account, with the owner's rate-limit bypass, so that they never
// spend the runner-owner account's budget, which only the hook's requests count against.
import type { Workspace, WorkspaceBuild } from '../../supervisor/src/coder-api/types.js';
import { prometheusSample } from '../../supervisor/src/shared/health-body.js';
import { getLocalText } from '../../supervisor/src/shared/local-http.js';
import type { AnthropicDouble } from '../../tests/helpers/anthropic-double.js';
import { CoderApi, postBuild, waitForAgent, waitForBuild, waitForGone } from '../../tests/helpers/coder-server.js';
import { benchOrder, withConcurrency, workspaceNameOf, type Hook, type HookRun } from './hook.js';

export interface CoderSide {
  /** The owner, sending X-Coder-Bypass-Ratelimit. */
  admin: CoderApi;
  /** The runner-owner account (a plain member). */
  member: CoderApi;
  memberName: string;
}

export const orderMetric = 'claude_code_self_hosted_runner_order_to_registered_seconds';
const registerPath = '/v1/code/runners/self-hosted/runners/register';

export interface SequentialRun {
  hook: HookRun;
  /** Request to the start build succeeded (Coder's completed_at). */
  buildMs: number;
  /** Request to the workspace's agent ready (Coder's ready_at). */
  readyMs: number;
  /** Request to the double receiving the register request that took this order. */
  registeredMs: number;
  /** The runner's own figure from its /metrics (whole seconds: the Date header less the order's iat). */
  orderToRegisteredS: number | undefined;
  /** The work order is in the build's parameters, as the hook sent it. */
  orderStored: boolean;
  /** The same request again: the hook finds its workspace. */
  repeat: HookRun;
  /** The session closed to the workspace gone (410): drain, self-eviction, delete build. */
  evictMs: number | undefined;
}

export interface SequentialContext {
  side: CoderSide;
  hook: Hook;
  double: AnthropicDouble;
  /** The runner's health port in a workspace (the template parameter's default). */
  healthPort: number;
  /** Every workspace made, for the clean-up. */
  made: Set<string>;
  say: (line: string) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const at = (iso: string | undefined | null): number => (iso ? Date.parse(iso) : Number.NaN);

async function workspaceOf(side: CoderSide, name: string): Promise<Workspace> {
  return side.admin.ok<Workspace>('GET', `/api/v2/users/${side.memberName}/workspace/${name}`);
}

async function runnerMetric(port: number, timeoutMs: number): Promise<number | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await getLocalText(`http://127.0.0.1:${port}/metrics`);
    const value = text === undefined ? undefined : prometheusSample(text, orderMetric);
    if (value !== undefined || Date.now() > deadline) return value;
    await sleep(200);
  }
}

/** Deletes every workspace of `ids` that is not gone yet; returns how many it had to delete. */
export async function deleteLeftovers(side: CoderSide, ids: Iterable<string>): Promise<number> {
  let deleted = 0;
  for (const id of ids) {
    const answer = await side.admin.request<Workspace>('GET', `/api/v2/workspaces/${id}`);
    if (answer.status === 410 || answer.status === 404) continue;
    const build = answer.body.latest_build;
    if (build.transition === 'delete' && build.job.status !== 'failed') {
      await waitForGone(side.admin, id, 600_000);
      continue;
    }
    if (build.job.status === 'pending' || build.job.status === 'running') await waitForBuild(side.admin, build.id);
    const posted = await postBuild(side.admin, id, 'delete');
    if (posted.status !== 201) throw new Error(`delete of ${id}: ${posted.status} ${posted.text}`);
    await waitForGone(side.admin, id, 600_000);
    deleted += 1;
  }
  return deleted;
}

/** One spawn request the whole way; `i` only names it in the log. */
async function oneRequest(ctx: SequentialContext, i: number): Promise<SequentialRun> {
  const { side, hook, double } = ctx;
  const order = await double.mintOrder({ kind: 'session' });
  if (!order.sessionId) throw new Error('the double minted a session order with no session');
  const run = await hook({ jwt: order.jwt, jti: order.jti, sessionId: order.sessionId });
  if (run.exitCode !== 0) throw new Error(`spawn request ${i}: the hook exited ${run.exitCode}: ${run.line}`);
  const workspace = await workspaceOf(side, workspaceNameOf(run));
  ctx.made.add(workspace.id);
  const build = await waitForBuild(side.admin, workspace.latest_build.id);
  if (build.job.status !== 'succeeded') throw new Error(`spawn request ${i}: the start build ${build.job.status}`);
  const completedAt = at((build.job as { completed_at?: string }).completed_at);
  const buildMs = (Number.isFinite(completedAt) ? completedAt : Date.now()) - run.startedAt;
  const agent = (await waitForAgent(side.admin, workspace.id, 240_000)) as { ready_at?: string };
  const readyAt = at(agent.ready_at);
  const readyMs = (Number.isFinite(readyAt) ? readyAt : Date.now()) - run.startedAt;

  const runner = await double.waitFor(
    'the runner to register with the work order',
    (s) => s.runners.find((r) => r.orderJti === order.jti),
    240_000,
  );
  const registers = double
    .requests()
    .filter((r) => r.method === 'POST' && r.path.split('?')[0] === registerPath && r.at >= run.startedAt);
  if (registers.length === 0) throw new Error(`spawn request ${i}: the double logged no register request`);
  const registeredAt = Math.max(...registers.map((r) => r.at));
  const registeredMs = registeredAt - run.startedAt;
  const orderToRegisteredS = await runnerMetric(ctx.healthPort, 15_000);
  await double.waitFor(
    'the session to be assigned to that runner',
    (s) => s.sessions.find((x) => x.id === order.sessionId && x.runnerId === runner.id),
    60_000,
  );

  const parameters = await side.member.ok<{ name: string; value: string }[]>(
    'GET',
    `/api/v2/workspacebuilds/${workspace.latest_build.id}/parameters`,
  );
  const orderStored = parameters.some((p) => p.name === 'work_order' && p.value === order.jwt);
  const repeat = await hook({ jwt: order.jwt, jti: order.jti, sessionId: order.sessionId });

  const closedAt = Date.now();
  await double.closeSession(order.sessionId);
  let evictMs: number | undefined;
  try {
    evictMs = (await waitForGone(side.admin, workspace.id, 240_000)) - closedAt;
  } catch (error) {
    ctx.say(`request ${i}: the workspace did not delete itself (${(error as Error).message.slice(0, 300)})`);
    await deleteLeftovers(side, [workspace.id]);
  }
  ctx.say(
    `request ${i}: hook ${run.ms.toFixed(0)} ms, built ${buildMs} ms, agent ready ${readyMs} ms, registered ${registeredMs} ms (the runner says ${orderToRegisteredS ?? '?'} s), repeat exit ${repeat.exitCode} in ${repeat.ms.toFixed(0)} ms, gone ${evictMs ?? '?'} ms after the session closed`,
  );
  return { hook: run, buildMs, readyMs, registeredMs, orderToRegisteredS, orderStored, repeat, evictMs };
}

export async function sequentialRequests(ctx: SequentialContext, n: number): Promise<SequentialRun[]> {
  const runs: SequentialRun[] = [];
  for (let i = 1; i <= n; i += 1) runs.push(await oneRequest(ctx, i));
  return runs;
}

export interface BurstResult {
  requests: number;
  concurrency: number;
  runs: HookRun[];
  /** First request to the last hook's exit. */
  totalMs: number;
  /** Coder's answers to the create (or the failing step), counted, from the hook's own lines. */
  answers: Record<string, number>;
  exits: Record<string, number>;
  /** First request to every created workspace's build done. */
  allBuiltMs: number;
  failedBuilds: number;
}

/** What Coder answered, read from the hook's line. */
export function answerOf(run: HookRun): string {
  if (/created workspace/.test(run.line)) return '201 created';
  if (/already exists/.test(run.line)) return '409 exists (found)';
  const status = /Coder answered (\d+)/.exec(run.line)?.[1];
  if (status) return `${status}${status === '429' ? ' rate limited' : ''}`;
  const unreachable = /could not be reached \(([^)]+)\)/.exec(run.line)?.[1];
  if (unreachable) return `no answer (${unreachable})`;
  return 'other';
}

export async function burst(
  side: CoderSide,
  hook: Hook,
  requests: number,
  concurrency: number,
  tag: string,
  made: Set<string>,
): Promise<BurstResult> {
  const orders = Array.from({ length: requests }, (_, i) => benchOrder(`bench-${tag}-${i}-${Date.now()}`));
  const began = Date.now();
  const runs = await withConcurrency(orders, concurrency, hook);
  const totalMs = Date.now() - began;
  const count = (keys: string[]) => keys.reduce<Record<string, number>>((m, k) => ({ ...m, [k]: (m[k] ?? 0) + 1 }), {});
  const workspaces = await Promise.all(
    runs.filter((r) => r.exitCode === 0).map((r) => workspaceOf(side, workspaceNameOf(r))),
  );
  for (const w of workspaces) made.add(w.id);
  let failedBuilds = 0;
  let lastDone = began;
  for (const w of workspaces) {
    const build: WorkspaceBuild = await waitForBuild(side.admin, w.latest_build.id, 600_000);
    if (build.job.status !== 'succeeded') failedBuilds += 1;
    const completedAt = at((build.job as { completed_at?: string }).completed_at);
    lastDone = Math.max(lastDone, Number.isFinite(completedAt) ? completedAt : Date.now());
  }
  const allBuiltMs = lastDone - began;
  // Cleared through the owner account, so that no request spends the runner owner's budget.
  await withConcurrency(workspaces, concurrency, async (w) => {
    const deleted = await postBuild(side.admin, w.id, 'delete');
    if (deleted.status !== 201) throw new Error(`delete of ${w.name}: ${deleted.status} ${deleted.text}`);
  });
  for (const w of workspaces) await waitForGone(side.admin, w.id, 600_000);
  return {
    requests,
    concurrency,
    runs,
    totalMs,
    answers: count(runs.map(answerOf)),
    exits: count(runs.map((r) => String(r.exitCode))),
    allBuiltMs,
    failedBuilds,
  };
}
