// The bundle's spawn-runner hook as the orchestrator runs it (tests/helpers/spawn-hook.ts: its
// 0400 config, the order in a 0600 file, the request's environment), timed from the request to
// the hook's exit, and run at most N at once as the orchestrator's --hook-concurrency does.
import fs from 'node:fs';
import type { SpawnConfig } from '../../supervisor/src/spawn/spawn-config.js';
import { runSpawnHook, workOrderFor } from '../../tests/helpers/spawn-hook.js';

export interface HookRun {
  orderId: string;
  exitCode: number;
  ms: number;
  /** The hook's own line for the order (`spawn-runner: order ...: <what happened>`). */
  line: string;
  userMessage: string | undefined;
  /** Date.now() at the request: the clock of the Coder server and the Anthropic double too (one host). */
  startedAt: number;
}

export interface BenchOrder {
  jwt: string;
  jti: string;
  sessionId?: string;
}

/** A work order's shape for requests that no runner ever redeems (the burst's). */
export const benchOrder = (jti: string): BenchOrder => ({ jti, jwt: workOrderFor(jti) });

export type Hook = (order: BenchOrder) => Promise<HookRun>;

export function hookFor(dir: string, config: SpawnConfig): Hook {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return async (order) => {
    const startedAt = Date.now();
    const started = performance.now();
    const result = await runSpawnHook({
      dir,
      config,
      order: order.jwt,
      orderId: order.jti,
      env: {
        CLAUDE_RUNNER_ATTEMPT: '1',
        CLAUDE_RUNNER_SPAWN_REASON: 'session',
        ...(order.sessionId ? { CLAUDE_RUNNER_SESSION_ID: order.sessionId } : {}),
      },
    });
    const ms = performance.now() - started;
    const lines = result.stderr.trim().split('\n');
    return {
      orderId: order.jti,
      exitCode: result.exitCode ?? -1,
      ms,
      line: lines.find((l) => l.startsWith('spawn-runner: order')) ?? lines.join(' | '),
      userMessage: lines.findLast((l) => l.startsWith('user-message: '))?.slice('user-message: '.length),
      startedAt,
    };
  };
}

/** The workspace the hook named in its line (created, or found for the same order). */
export function workspaceNameOf(run: HookRun): string {
  const name = /workspace (\S+) \(/.exec(run.line)?.[1];
  if (!name) throw new Error(`the hook named no workspace: exit ${run.exitCode}: ${run.line}`);
  return name;
}

/** Runs `jobs` with at most `concurrency` at once, as the orchestrator's --hook-concurrency does. */
export async function withConcurrency<T, R>(
  jobs: T[],
  concurrency: number,
  work: (job: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(jobs.length);
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const index = next;
      next += 1;
      results[index] = await work(jobs[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, lane));
  return results;
}
