import { CoderClient } from '../coder-api/client.js';
import type { HttpAnswer, HttpClient } from '../coder-api/http.js';
import type { Workspace } from '../coder-api/types.js';
import { apiPaths } from '../coder-api/urls.js';
import type { EvictionOutcome } from '../state/status.js';
import { fullJitter } from '../shared/jitter.js';
import { classifyAnswer, classifyFailure, type EvictionVerdict } from './classify-answer.js';

/*
 * The retry loop is hand-written rather than undici's RetryAgent: that agent has no jitter, and
 * a pool whose runners drain together shares one token owner's rate limit (512 requests per
 * minute per endpoint by default), so synchronised retries would storm it. Here: full jitter,
 * Retry-After honoured (plus jitter, so a fleet does not return at the same instant), an active
 * build waited out, and one overall deadline.
 */

export interface EvictionResult {
  outcome: EvictionOutcome;
  attempts: number;
  lastStatus: number | undefined;
  message: string;
  durationMs: number;
}

export interface EvictionOptions {
  agentUrl: string;
  workspaceId: string;
  token: string;
  deadlineMs: number;
  requestTimeoutMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long to wait between checks while another build is active. */
  activeBuildDelayMs: number;
  /** Check first whether a delete build already exists (an earlier attempt was interrupted). */
  verifyFirst?: boolean;
}

export const defaultEvictionTiming = {
  requestTimeoutMs: 15_000,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  activeBuildDelayMs: 5000,
};

export interface EvictionDeps {
  http: HttpClient;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  onAttempt?: (info: {
    attempt: number;
    verdict: EvictionVerdict;
    status: number | undefined;
    waitMs: number | undefined;
  }) => void;
}

/** Job states of a delete build that is, or will be, deleting the workspace. */
const deleteUnderWay = ['pending', 'running', 'succeeded'];

/** After an ambiguous failure, a GET tells whether our delete build already exists. */
async function deleteAlreadyQueued(
  options: EvictionOptions,
  readWorkspace: () => Promise<HttpAnswer>,
): Promise<EvictionVerdict | undefined> {
  try {
    const answer = await readWorkspace();
    if (answer.status === 404 || answer.status === 410) {
      return { kind: 'gone', message: `workspace ${options.workspaceId} is already deleted (${answer.status})` };
    }
    if (answer.status === 200) {
      const build = (JSON.parse(answer.body) as Partial<Workspace>).latest_build;
      // A delete build that failed or was canceled did not delete anything: post a new one.
      if (build?.transition === 'delete' && deleteUnderWay.includes(build.job?.status ?? ''))
        return { kind: 'success' };
    }
  } catch {
    // Unknown: fall through to another POST, which a 409 would then answer.
  }
  return undefined;
}

export async function evictWorkspace(options: EvictionOptions, deps: EvictionDeps): Promise<EvictionResult> {
  const started = deps.now();
  const deadline = started + options.deadlineMs;
  const coder = new CoderClient({
    baseUrl: options.agentUrl,
    token: options.token,
    requestTimeoutMs: options.requestTimeoutMs,
    http: deps.http,
  });
  let attempts = 0;
  let retries = 0;
  let lastStatus: number | undefined;
  let sawConflictOrDoubt = options.verifyFirst === true;
  // An earlier request may have created our delete build without our hearing the answer.
  let mayHaveCreated = options.verifyFirst === true;
  // No request may outlive the deadline.
  const timeoutMs = (): number => Math.max(1, Math.min(options.requestTimeoutMs, deadline - deps.now()));
  let lastWhy = 'no attempt made';
  const result = (outcome: EvictionOutcome, message: string): EvictionResult => ({
    outcome,
    attempts,
    lastStatus,
    message,
    durationMs: deps.now() - started,
  });

  const gaveUp = (): EvictionResult =>
    result(
      'failed',
      `gave up after ${attempts} request(s) in ${Math.round((deps.now() - started) / 1000)} s (deadline reached); last: ${lastWhy}`,
    );

  for (;;) {
    if (deps.now() >= deadline) return gaveUp();
    let verdict: EvictionVerdict | undefined;
    // After an unanswered request, a 409 may be our own build: read before posting again.
    if (mayHaveCreated && (lastStatus === undefined || lastStatus === 409)) {
      verdict = await deleteAlreadyQueued(options, () =>
        coder.get<Workspace>(apiPaths.workspace(options.workspaceId), timeoutMs()),
      );
    }
    if (verdict === undefined) {
      if (deps.now() >= deadline) return gaveUp();
      attempts += 1;
      try {
        const answer = await coder.post(
          apiPaths.workspaceBuilds(options.workspaceId),
          { transition: 'delete' },
          timeoutMs(),
        );
        lastStatus = answer.status;
        verdict = classifyAnswer(answer, options.workspaceId, deps.now(), sawConflictOrDoubt);
      } catch (error) {
        lastStatus = undefined;
        verdict = classifyFailure(error);
      }
    }

    let waitMs: number | undefined;
    if (verdict.kind === 'retry') {
      retries += 1;
      const jitter = fullJitter(retries, options.baseDelayMs, options.maxDelayMs, deps.random);
      waitMs =
        verdict.retryAfterMs !== undefined
          ? verdict.retryAfterMs + Math.round(deps.random() * options.baseDelayMs * 2)
          : jitter;
      if (verdict.ambiguous) {
        sawConflictOrDoubt = true;
        mayHaveCreated = true;
      }
      lastWhy = verdict.why;
    } else if (verdict.kind === 'wait-build') {
      sawConflictOrDoubt = true;
      waitMs = Math.round(options.activeBuildDelayMs * (0.5 + deps.random()));
      lastWhy = verdict.why;
    }
    deps.onAttempt?.({ attempt: attempts, verdict, status: lastStatus, waitMs });

    switch (verdict.kind) {
      case 'success':
        return result(
          'succeeded',
          attempts === 0
            ? `the delete build of workspace ${options.workspaceId} is under way or done (confirmed with Coder); waiting for Coder to delete it`
            : `delete build queued for workspace ${options.workspaceId} after ${attempts} request(s)`,
        );
      case 'gone':
        return result('already-deleted', verdict.message);
      case 'permanent':
        return result('failed', verdict.message);
      case 'retry':
      case 'wait-build':
        break;
    }
    if (waitMs === undefined || deps.now() + waitMs > deadline) return gaveUp();
    await deps.sleep(waitMs);
  }
}
