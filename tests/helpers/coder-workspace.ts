import fs from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { freePort } from './sandbox.js';
import {
  buildLogs,
  CoderApi,
  createWorkspace,
  listBuilds,
  postBuild,
  recordTiming,
  waitForAgent,
  waitForBuild,
  workspaceDir,
  type CoderServerInfo,
  type Workspace,
  type WorkspaceAgent,
  type WorkspaceBuild,
} from './coder-server.js';

/** Shared by the files of tests/coder: the server of the global set-up and its users. */
export function coder(): { info: CoderServerInfo; admin: CoderApi; member: CoderApi } {
  const info = inject('coder');
  return { info, admin: new CoderApi(info.url, info.admin.token), member: new CoderApi(info.url, info.member.token) };
}

export { setTimeout as sleep } from 'node:timers/promises';

export interface RunnerWorkspace {
  workspace: Workspace;
  build: WorkspaceBuild;
  agent: WorkspaceAgent;
  dir: string;
  startBuildMs: number;
}

let counter = 0;
/** A workspace of the runner template, owned by the member, with its agent ready. */
export async function runnerWorkspace(
  prefix: string,
  parameters: { scenarios?: string; quarantine_minutes?: number; drain_after_ms?: number } = {},
  beforeStart?: (dir: string) => void,
): Promise<RunnerWorkspace> {
  const { info, member } = coder();
  counter += 1;
  const name = `${prefix}-${process.pid % 10000}-${counter}`.slice(0, 32);
  const { workspace, build, buildMs } = await createWorkspace(member, info.templates.runner, name, {
    health_port: await freePort(),
    ...parameters,
  });
  recordTiming('start-build', buildMs);
  beforeStart?.(workspaceDir(info, workspace.id));
  const agentStarted = Date.now();
  const agent = await waitForAgent(member, workspace.id);
  recordTiming('start-build-done-to-agent-ready', Date.now() - agentStarted);
  return { workspace, build, agent, dir: workspaceDir(info, workspace.id), startBuildMs: buildMs };
}

export interface StandInEvent {
  at: number;
  event: string;
  pid: number;
  code?: number;
  [key: string]: unknown;
}

export function standInEvents(dir: string): StandInEvent[] {
  try {
    return fs
      .readFileSync(path.join(dir, 'events.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as StandInEvent);
  } catch {
    return [];
  }
}

export interface SupervisorStatus {
  state: string;
  reason: string;
  locked: boolean;
  restarts: number;
  eviction?: { outcome: string; attempts: number; lastStatus?: number; message: string };
  [key: string]: unknown;
}

export function supervisorStatus(dir: string): SupervisorStatus | undefined {
  try {
    return JSON.parse(
      fs.readFileSync(path.join(dir, 'home', '.local', 'state', 'claude-self-hosted-runner', 'status.json'), 'utf8'),
    ) as SupervisorStatus;
  } catch {
    return undefined;
  }
}

/** What to show when a test fails: the supervisor's status and the tails of the logs. */
export function diagnostics(dir: string): string {
  const tail = (file: string, lines = 30) => {
    try {
      return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(none)';
    }
  };
  const state = path.join(dir, 'home', '.local', 'state', 'claude-self-hosted-runner');
  return [
    `--- status.json\n${JSON.stringify(supervisorStatus(dir))}`,
    `--- supervisor log\n${tail(path.join(state, 'logs', 'supervisor.log'))}`,
    `--- events\n${tail(path.join(dir, 'events.jsonl'), 15)}`,
    `--- machine/agent log\n${tail(path.join(dir, 'agent.log'), 15)}`,
  ].join('\n');
}

export function deleteBuilds(builds: WorkspaceBuild[]): WorkspaceBuild[] {
  return builds.filter((b) => b.transition === 'delete');
}

/** Waits for a build and fails with its logs unless it succeeded. */
export async function buildSucceeds(api: CoderApi, buildId: string): Promise<WorkspaceBuild> {
  const build = await waitForBuild(api, buildId);
  if (build.job.status !== 'succeeded') {
    throw new Error(
      `build ${build.transition} ${build.job.status}: ${build.job.error}\n${await buildLogs(api, buildId)}`,
    );
  }
  return build;
}

/** Deletes whatever a test left behind (as the owner; orphan when the delete cannot run). */
export async function cleanUp(workspaceIds: string[]): Promise<void> {
  const { admin } = coder();
  for (const id of workspaceIds) {
    const current = await admin.request<Workspace>('GET', `/api/v2/workspaces/${id}`);
    if (current.status !== 200) continue;
    const latest = current.body.latest_build;
    if (latest.transition === 'delete' && latest.job.status === 'succeeded') continue;
    if (!['succeeded', 'failed', 'canceled'].includes(latest.job.status)) await waitForBuild(admin, latest.id);
    const answer = await postBuild(admin, id, 'delete');
    if (answer.status === 201) {
      const done = await waitForBuild(admin, answer.body.id);
      if (done.job.status !== 'succeeded') {
        await admin.request('POST', `/api/v2/workspaces/${id}/builds`, { transition: 'delete', orphan: true });
      }
    }
  }
}

export { listBuilds };
