import type { BuildTransition, ProvisionerJobStatus } from '../coder-api/types.js';

/**
 * The reconciler of runner workspaces (on-demand mode): what to do with each of the runner
 * owner's workspaces of the runner template, decided from what Coder's list says, without any
 * I/O (the executor lists, acts and logs; this only decides). Every decision is a row of
 * tests/supervisor/unit/reconcile/decide.test.ts.
 *
 * A runner workspace deletes itself once its runner is done; these rules are for the ones whose
 * supervisor never ran or never will: a failed start build, an agent that never connected, a
 * build stuck in the provisioner queue, a stopped workspace (nothing restarts an on-demand
 * runner), one superseded by a newer attempt for the same session, a delete build that failed.
 */

/** What Coder's list says of one workspace, as the reconciler reads it. */
export interface RunnerWorkspaceFacts {
  id: string;
  name: string;
  createdAtMs: number;
  /** Owned by Coder's prebuilds system user: the warm buffer, which Coder's own reconciler owns. */
  prebuild: boolean;
  build: {
    transition: BuildTransition;
    job: ProvisionerJobStatus;
    createdAtMs: number;
    /** When its job ended (undefined while it runs). */
    completedAtMs: number | undefined;
  };
  /** The agent's connection, when the build made one. */
  agent: 'connecting' | 'connected' | 'disconnected' | 'timeout' | undefined;
  /**
   * What its runner shows (the dashboard items that Coder's list carries): `registered` (a runner
   * ID), `serving` (locked to a user), `none`, or `unknown` (the server does not carry them).
   */
  runner: 'none' | 'registered' | 'serving' | 'unknown';
  /** The session that the workspace was made for (a non-secret tag), when known. */
  session: string | undefined;
  /** Delete builds that a reconciler already posted for it and that failed. */
  failedDeletes: number;
}

export interface ReconcileBounds {
  /** A failed start build is deleted after this grace (someone may be reading its logs). */
  failedGraceMs: number;
  /** An agent that has not connected this long after its build succeeded never will. */
  agentBoundMs: number;
  /** A build still pending or running this long is stuck (a provisioner queue, a hung job). */
  buildBoundMs: number;
  /** Failed delete builds posted again at most this many times, then reported as stuck. */
  maxDeleteAttempts: number;
}

export type ReconcileReason =
  'failed-build' | 'agent-never-connected' | 'build-stuck' | 'stopped' | 'superseded' | 'delete-failed';

export type ReconcileAction =
  | { kind: 'keep'; why: string }
  | { kind: 'delete'; reason: ReconcileReason; why: string }
  /** Its job is cancelled first (a delete waits for an active build), then it is deleted. */
  | { kind: 'cancel-then-delete'; reason: ReconcileReason; why: string }
  /** A delete that keeps failing: left alone and shown on the dashboard. */
  | { kind: 'stuck'; reason: 'delete-failed'; why: string };

const minutes = (ms: number): string => `${Math.round(ms / 60_000)} min`;

/** The newest workspace made for each session (a later attempt supersedes an earlier one). */
function newestBySession(workspaces: readonly RunnerWorkspaceFacts[]): Map<string, RunnerWorkspaceFacts> {
  const newest = new Map<string, RunnerWorkspaceFacts>();
  for (const w of workspaces) {
    if (w.session === undefined || w.prebuild) continue;
    const seen = newest.get(w.session);
    if (!seen || w.createdAtMs > seen.createdAtMs) newest.set(w.session, w);
  }
  return newest;
}

/** One workspace's action, given the newest of its session. */
function decideOne(
  w: RunnerWorkspaceFacts,
  newest: RunnerWorkspaceFacts | undefined,
  now: number,
  bounds: ReconcileBounds,
): ReconcileAction {
  if (w.prebuild) return { kind: 'keep', why: "a prebuild: Coder's reconciler owns the warm buffer" };
  if (w.runner === 'registered' || w.runner === 'serving') {
    return { kind: 'keep', why: `its runner is ${w.runner}: it deletes itself when done` };
  }
  const { build } = w;
  const since = (at: number | undefined): number => now - (at ?? build.createdAtMs);
  const active = build.job === 'pending' || build.job === 'running';
  if (build.transition === 'delete') {
    if (build.job !== 'failed') return { kind: 'keep', why: `being deleted (${build.job})` };
    if (w.failedDeletes >= bounds.maxDeleteAttempts) {
      return {
        kind: 'stuck',
        reason: 'delete-failed',
        why: `its delete build failed ${w.failedDeletes} times: an administrator must look at it`,
      };
    }
    return { kind: 'delete', reason: 'delete-failed', why: 'its delete build failed: posting it again' };
  }
  // A later attempt for the same session supersedes this one before its runner registered: its
  // work order would only be refused.
  const superseded = newest !== undefined && newest.id !== w.id && w.runner === 'none';
  if (superseded) {
    const why = `superseded by ${newest.name}, a newer attempt for the same session`;
    return active
      ? { kind: 'cancel-then-delete', reason: 'superseded', why }
      : { kind: 'delete', reason: 'superseded', why };
  }
  if (build.transition === 'stop') {
    if (active || build.job === 'canceling') return { kind: 'keep', why: `being stopped (${build.job})` };
    return { kind: 'delete', reason: 'stopped', why: 'stopped: nothing restarts an on-demand runner' };
  }
  // A start build.
  if (active) {
    if (since(build.createdAtMs) < bounds.buildBoundMs) return { kind: 'keep', why: `building (${build.job})` };
    return {
      kind: 'cancel-then-delete',
      reason: 'build-stuck',
      why: `its start build is still ${build.job} after ${minutes(since(build.createdAtMs))}`,
    };
  }
  if (build.job === 'canceling') return { kind: 'keep', why: 'its start build is being cancelled' };
  if (build.job === 'failed' || build.job === 'canceled') {
    if (since(build.completedAtMs) < bounds.failedGraceMs)
      return { kind: 'keep', why: `its start build ${build.job}; grace` };
    return { kind: 'delete', reason: 'failed-build', why: `its start build ${build.job}` };
  }
  // Built: the agent should be up and its supervisor running.
  if (w.agent === 'connected') return { kind: 'keep', why: 'its agent is connected' };
  // It connected before: its supervisor decides about its workspace (a short disconnect is normal).
  if (w.agent === 'disconnected') return { kind: 'keep', why: 'its agent disconnected after it had connected' };
  if (w.agent === 'timeout' || since(build.completedAtMs) >= bounds.agentBoundMs) {
    return {
      kind: 'delete',
      reason: 'agent-never-connected',
      why: `its agent ${w.agent === 'timeout' ? 'timed out' : `has not connected ${minutes(since(build.completedAtMs))} after the build`}`,
    };
  }
  return { kind: 'keep', why: `its agent is ${w.agent ?? 'not there yet'}` };
}

/** Each workspace's action, by id. */
export function decideReconcile(
  workspaces: readonly RunnerWorkspaceFacts[],
  now: number,
  bounds: ReconcileBounds,
): Map<string, ReconcileAction> {
  const newest = newestBySession(workspaces);
  return new Map(
    workspaces.map((w) => [
      w.id,
      decideOne(w, w.session === undefined ? undefined : newest.get(w.session), now, bounds),
    ]),
  );
}
